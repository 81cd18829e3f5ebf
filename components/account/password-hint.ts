/** What the strength rules ask for, said before anyone gets it wrong (the server has the rules). */
export const MIN_PASSWORD_LENGTH = 10;
export const PASSWORD_HINT = `At least ${MIN_PASSWORD_LENGTH} characters. Not a common password, and not your e-mail address or name.`;
