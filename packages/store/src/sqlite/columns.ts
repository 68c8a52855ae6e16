/** A boolean as the 0/1 integer SQLite stores it as. */
export const flag = (value: boolean): 0 | 1 => (value ? 1 : 0);
