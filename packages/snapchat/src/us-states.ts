// US states, the District of Columbia and the inhabited territories, by USPS code. Snap asks for
// the 2-letter code in `st`, so a full name is replaced by its code before hashing.
const TABLE = `
AL Alabama|AK Alaska|AZ Arizona|AR Arkansas|CA California|CO Colorado|CT Connecticut|DE Delaware
DC District of Columbia|DC Washington DC|FL Florida|GA Georgia|HI Hawaii|ID Idaho|IL Illinois|IN Indiana
IA Iowa|KS Kansas|KY Kentucky|LA Louisiana|ME Maine|MD Maryland|MA Massachusetts|MI Michigan
MN Minnesota|MS Mississippi|MO Missouri|MT Montana|NE Nebraska|NV Nevada|NH New Hampshire
NJ New Jersey|NM New Mexico|NY New York|NC North Carolina|ND North Dakota|OH Ohio|OK Oklahoma
OR Oregon|PA Pennsylvania|RI Rhode Island|SC South Carolina|SD South Dakota|TN Tennessee|TX Texas
UT Utah|VT Vermont|VA Virginia|WA Washington|WV West Virginia|WI Wisconsin|WY Wyoming
AS American Samoa|GU Guam|MP Northern Mariana Islands|PR Puerto Rico|VI U.S. Virgin Islands
VI US Virgin Islands|VI Virgin Islands
`;

/** US state (and territory) names, reduced to lowercase letters, mapped to lowercase USPS codes. */
export const US_STATE_CODES: ReadonlyMap<string, string> = new Map(
  TABLE.trim()
    .split(/[|\n]/u)
    .map((entry): [string, string] => {
      const code = entry.slice(0, 2).toLowerCase();
      return [
        entry
          .slice(3)
          .toLowerCase()
          .replace(/[^a-z]+/gu, ''),
        code,
      ];
    }),
);
