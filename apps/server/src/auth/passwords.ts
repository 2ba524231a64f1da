import { hash, verify } from '@node-rs/argon2';

/**
 * Passwords are kept only as argon2id hashes (PRODUCT §7) with the library's defaults (argon2id,
 * 19 MiB, 2 passes: the OWASP minimum), chosen because @node-rs/argon2 needs no native build on Node 20.
 */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** A hash of nothing anyone knows: verifying against it makes an unknown user cost as much as a known one. */
let decoyHash: Promise<string> | undefined;

/** True when the password matches; an unknown user (hash null) takes the same time and fails. */
export async function verifyPassword(
  passwordHash: string | null,
  password: string,
): Promise<boolean> {
  if (passwordHash === null) {
    decoyHash ??= hash('decoy password that no account has');
    await verify(await decoyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** At least 12 characters (NIST SP 800-63B favours length over composition rules); at most 256. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
