/** Nurses and physicians admit patients: the roles of the server's `patient.admit`. */
export function canAdmit(user: { readonly roles: readonly string[] }): boolean {
  return user.roles.some((role) => role === 'nurse' || role === 'physician');
}
