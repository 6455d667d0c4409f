import { Injectable } from '@nestjs/common';
import { describeCliError } from './cli-errors';

/** Where commands write their results; one seam so tests can read what a command printed. */
@Injectable()
export class CliOutput {
  line(text: string): void {
    process.stdout.write(`${text}\n`);
  }

  error(text: string): void {
    process.stderr.write(`${text}\n`);
  }

  /** Reports a failed command on stderr (one line) and makes the process exit with code 1. */
  fail(error: unknown): void {
    this.error(describeCliError(error));
    process.exitCode = 1;
  }
}
