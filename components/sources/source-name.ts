/** The longest source name; the server refuses longer ones with the same words (server/sources/sources.ts). */
export const SOURCE_NAME_MAX = 80;
