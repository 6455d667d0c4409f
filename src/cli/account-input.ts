import { randomInt } from 'node:crypto';
import { isEmail } from 'class-validator';
import { CliError } from './cli-errors';

/** Same rules as the HTTP registration body (src/auth/dto/register.dto.ts), so both paths store alike data. */
const USERNAME = /^[\p{L}\p{N}_.@#&()-]*$/u;
const MAX_EMAIL = 254;
const MAX_NAME = 80;

export function requireEmail(value: string): string {
  const email = value.trim();
  if (email.length > MAX_EMAIL || !isEmail(email)) throw new CliError(`"${value}" is not a valid email address`);
  return email;
}

export function requireName(value: string): string {
  const name = value.trim();
  if (name.length < 1 || name.length > MAX_NAME) throw new CliError(`the name must be 1 to ${MAX_NAME} characters long`);
  return name;
}

export function requireUsername(value: string): string {
  const username = value.trim();
  if (username.length < 1 || username.length > MAX_NAME) throw new CliError(`the username must be 1 to ${MAX_NAME} characters long`);
  if (!USERNAME.test(username)) throw new CliError('the username may contain letters, digits and _ . @ # & ( ) - only');
  return username;
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A random password from an unambiguous alphabet (about 5.8 bits per character, uniform). */
export function generatePassword(length: number): string {
  let password = '';
  for (let i = 0; i < length; i++) password += ALPHABET[randomInt(ALPHABET.length)];
  return password;
}
