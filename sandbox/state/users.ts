/**
 * Aries users who can sign in on the sandbox's login page. Passwords are kept
 * as salted scrypt hashes; emails match case-insensitively. Users with MFA
 * enabled must pass a 6-digit verification step (the sandbox's code is fixed
 * and shown on the MFA page, as no SMS is sent).
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

export const SANDBOX_MFA_CODE = '123456';

export interface User {
  readonly id: number;
  readonly email: string;
  readonly mfa: boolean;
  readonly createdAt: Date;
  readonly passwordSalt: Buffer;
  readonly passwordHash: Buffer;
}

export class UserDirectoryError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

const SCRYPT_COST = { N: 1024, r: 8, p: 1 };

export class UserDirectory {
  private readonly byEmail = new Map<string, User>();
  private readonly byId = new Map<number, User>();

  create(input: { email: string; password: string; mfa?: boolean }): User {
    const email = typeof input.email === 'string' ? input.email.trim() : '';
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new UserDirectoryError('email must be an email address', 'email');
    if (typeof input.password !== 'string' || input.password.length < 1) {
      throw new UserDirectoryError('password is required', 'password');
    }
    const key = email.toLowerCase();
    if (this.byEmail.has(key)) throw new UserDirectoryError('a user with this email already exists', 'email');
    const passwordSalt = randomBytes(16);
    const user: User = {
      id: this.byId.size + 1,
      email,
      mfa: input.mfa === true,
      createdAt: new Date(),
      passwordSalt,
      passwordHash: scryptSync(input.password, passwordSalt, 32, SCRYPT_COST),
    };
    this.byEmail.set(key, user);
    this.byId.set(user.id, user);
    return user;
  }

  /** The user when the email and password match, else undefined (one answer for both mistakes). */
  authenticate(email: unknown, password: unknown): User | undefined {
    if (typeof email !== 'string' || typeof password !== 'string') return undefined;
    const user = this.byEmail.get(email.trim().toLowerCase());
    if (!user) return undefined;
    const presented = scryptSync(password, user.passwordSalt, 32, SCRYPT_COST);
    return timingSafeEqual(presented, user.passwordHash) ? user : undefined;
  }

  findById(id: number): User | undefined {
    return this.byId.get(id);
  }
}
