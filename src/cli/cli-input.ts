import { Injectable } from '@nestjs/common';
import * as readline from 'node:readline';
import { Writable } from 'node:stream';
import { CliError } from './cli-errors';

/**
 * What commands read from the operator: prompts on a terminal (written to stderr, so stdout stays
 * clean for scripts), or the first line of stdin when it is a pipe or a file.
 */
@Injectable()
export class CliInput {
  /** True when stdin is a terminal, so a person can answer prompts. */
  get interactive(): boolean {
    return process.stdin.isTTY === true;
  }

  /** Asks one question on the terminal; `hidden` does not echo what is typed (for passwords). */
  ask(question: string, options: { hidden?: boolean } = {}): Promise<string> {
    let muted = false;
    const output = new Writable({
      write(chunk: Buffer | string, encoding: BufferEncoding, callback: () => void) {
        if (!muted) process.stderr.write(chunk, encoding);
        callback();
      },
    });
    const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
    return new Promise<string>((resolve, reject) => {
      let answered = false;
      rl.on('SIGINT', () => rl.close());
      rl.once('close', () => {
        if (answered) return;
        if (muted) process.stderr.write('\n');
        reject(new CliError('cancelled; nothing was changed'));
      });
      rl.question(question, (answer) => {
        answered = true;
        if (muted) process.stderr.write('\n');
        rl.close();
        resolve(answer);
      });
      // The prompt itself has been written; from here on, keystrokes are not echoed.
      muted = options.hidden === true;
    });
  }

  /** The first line of stdin (without its line break), or null when stdin is empty. */
  readLine(): Promise<string | null> {
    const rl = readline.createInterface({ input: process.stdin, terminal: false });
    return new Promise<string | null>((resolve) => {
      let line: string | null = null;
      rl.once('line', (first) => {
        line = first;
        rl.close();
      });
      rl.once('close', () => resolve(line));
    });
  }

  /**
   * A new password given neither as an option nor generated: asked twice (hidden) on a terminal,
   * else read from the first line of stdin. Returns '' when the operator gave none.
   */
  async newPassword(check: (password: string) => void, emptyHint = ''): Promise<string> {
    if (!this.interactive) return (await this.readLine()) ?? '';
    const first = await this.ask(`New password${emptyHint}: `, { hidden: true });
    if (first === '') return '';
    check(first);
    const again = await this.ask('Repeat the password: ', { hidden: true });
    if (again !== first) throw new CliError('the passwords do not match; nothing was changed');
    return first;
  }

  /** A yes/no question on the terminal; anything but y/yes is no. */
  async confirm(question: string): Promise<boolean> {
    const answer = await this.ask(`${question} [y/N] `);
    return /^\s*y(es)?\s*$/i.test(answer);
  }
}
