/**
 * Why the user is looking at the sign-in page. Any part of the app may end the session (a refused
 * call, the inactivity timer, the Sign out link); the sign-in page explains which it was.
 */
export type SessionEndReason = 'expired' | 'idle' | 'signed_out';

type Listener = (reason: SessionEndReason) => void;
const listeners = new Set<Listener>();

export function onSessionEnded(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function reportSessionEnded(reason: SessionEndReason): void {
  for (const listener of listeners) listener(reason);
}

export const SESSION_END_MESSAGES: Record<SessionEndReason, string> = {
  expired: 'Your session has ended. Please sign in again; nothing you had saved is lost.',
  idle: 'You were signed out after 15 minutes without activity, to protect patient data on a shared screen.',
  signed_out: 'You have signed out.',
};
