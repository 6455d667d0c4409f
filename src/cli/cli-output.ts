import { Injectable } from '@nestjs/common';

/** Where commands write their results; one seam so tests can read what a command printed. */
@Injectable()
export class CliOutput {
  line(text: string): void {
    process.stdout.write(`${text}\n`);
  }

  error(text: string): void {
    process.stderr.write(`${text}\n`);
  }
}
