import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli/cli.module';
import { loadConfigFromProcess } from './config';

async function main(): Promise<void> {
  const loaded = loadConfigFromProcess();
  if (!loaded.ok) {
    process.stderr.write(`gatehouse: invalid configuration:\n${loaded.problems.map((p) => `  ${p}\n`).join('')}`);
    process.exitCode = 1;
    return;
  }
  await CommandFactory.run(CliModule.forRoot(loaded.config), {
    logger: false,
    cliName: 'gatehouse',
    errorHandler: (error) => {
      // commander reports usage errors itself; exit non-zero without a stack trace.
      if ((error as { code?: string }).code !== 'commander.helpDisplayed' && (error as { code?: string }).code !== 'commander.help') {
        process.stderr.write(`gatehouse: ${error.message}\n`);
        process.exit(1);
      }
      process.exit(0);
    },
    serviceErrorHandler: (error) => {
      process.stderr.write(`gatehouse: ${error.message}\n`);
      process.exit(1);
    },
  });
}

void main();
