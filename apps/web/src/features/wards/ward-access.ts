/** What a person is told when a ward's page is opened by someone not on that ward's staff. */
export const WARD_FORBIDDEN_TEXT =
  'You have no access to this ward: you are not on its staff list. Ask an administrator to add you, or open one of your own wards.';
