// ISO 3166-1 alpha-2 codes with their ITU calling codes and English names (the first name is the
// short English name; the rest are common alternatives senders use). NANP members all share
// calling code 1: their area code is part of the national number people type.
const TABLE = `
AD|376|Andorra
AE|971|United Arab Emirates;UAE
AF|93|Afghanistan
AG|1|Antigua and Barbuda
AI|1|Anguilla
AL|355|Albania
AM|374|Armenia
AO|244|Angola
AQ|672|Antarctica
AR|54|Argentina
AS|1|American Samoa
AT|43|Austria
AU|61|Australia
AW|297|Aruba
AX|358|Åland Islands
AZ|994|Azerbaijan
BA|387|Bosnia and Herzegovina
BB|1|Barbados
BD|880|Bangladesh
BE|32|Belgium
BF|226|Burkina Faso
BG|359|Bulgaria
BH|973|Bahrain
BI|257|Burundi
BJ|229|Benin
BL|590|Saint Barthélemy
BM|1|Bermuda
BN|673|Brunei;Brunei Darussalam
BO|591|Bolivia;Bolivia, Plurinational State of
BQ|599|Caribbean Netherlands;Bonaire, Sint Eustatius and Saba
BR|55|Brazil
BS|1|Bahamas
BT|975|Bhutan
BV|47|Bouvet Island
BW|267|Botswana
BY|375|Belarus
BZ|501|Belize
CA|1|Canada
CC|61|Cocos (Keeling) Islands;Cocos Islands
CD|243|Democratic Republic of the Congo;Congo, Democratic Republic of the;DR Congo;DRC;Congo-Kinshasa
CF|236|Central African Republic
CG|242|Republic of the Congo;Congo;Congo-Brazzaville
CH|41|Switzerland
CI|225|Côte d'Ivoire;Ivory Coast
CK|682|Cook Islands
CL|56|Chile
CM|237|Cameroon
CN|86|China;People's Republic of China
CO|57|Colombia
CR|506|Costa Rica
CU|53|Cuba
CV|238|Cabo Verde;Cape Verde
CW|599|Curaçao
CX|61|Christmas Island
CY|357|Cyprus
CZ|420|Czechia;Czech Republic
DE|49|Germany
DJ|253|Djibouti
DK|45|Denmark
DM|1|Dominica
DO|1|Dominican Republic
DZ|213|Algeria
EC|593|Ecuador
EE|372|Estonia
EG|20|Egypt
EH|212|Western Sahara
ER|291|Eritrea
ES|34|Spain
ET|251|Ethiopia
FI|358|Finland
FJ|679|Fiji
FK|500|Falkland Islands;Falkland Islands (Malvinas)
FM|691|Micronesia;Federated States of Micronesia
FO|298|Faroe Islands
FR|33|France
GA|241|Gabon
GB|44|United Kingdom;UK;Great Britain;Britain;England;Scotland;Wales;Northern Ireland;United Kingdom of Great Britain and Northern Ireland
GD|1|Grenada
GE|995|Georgia
GF|594|French Guiana
GG|44|Guernsey
GH|233|Ghana
GI|350|Gibraltar
GL|299|Greenland
GM|220|Gambia
GN|224|Guinea
GP|590|Guadeloupe
GQ|240|Equatorial Guinea
GR|30|Greece
GS|500|South Georgia and the South Sandwich Islands
GT|502|Guatemala
GU|1|Guam
GW|245|Guinea-Bissau
GY|592|Guyana
HK|852|Hong Kong
HM|672|Heard Island and McDonald Islands
HN|504|Honduras
HR|385|Croatia
HT|509|Haiti
HU|36|Hungary
ID|62|Indonesia
IE|353|Ireland;Republic of Ireland
IL|972|Israel
IM|44|Isle of Man
IN|91|India
IO|246|British Indian Ocean Territory
IQ|964|Iraq
IR|98|Iran;Iran, Islamic Republic of
IS|354|Iceland
IT|39|Italy
JE|44|Jersey
JM|1|Jamaica
JO|962|Jordan
JP|81|Japan
KE|254|Kenya
KG|996|Kyrgyzstan
KH|855|Cambodia
KI|686|Kiribati
KM|269|Comoros
KN|1|Saint Kitts and Nevis
KP|850|North Korea;Korea, Democratic People's Republic of
KR|82|South Korea;Korea;Republic of Korea;Korea, Republic of
KW|965|Kuwait
KY|1|Cayman Islands
KZ|7|Kazakhstan
LA|856|Laos;Lao People's Democratic Republic
LB|961|Lebanon
LC|1|Saint Lucia
LI|423|Liechtenstein
LK|94|Sri Lanka
LR|231|Liberia
LS|266|Lesotho
LT|370|Lithuania
LU|352|Luxembourg
LV|371|Latvia
LY|218|Libya
MA|212|Morocco
MC|377|Monaco
MD|373|Moldova;Moldova, Republic of
ME|382|Montenegro
MF|590|Saint Martin
MG|261|Madagascar
MH|692|Marshall Islands
MK|389|North Macedonia;Macedonia
ML|223|Mali
MM|95|Myanmar;Burma
MN|976|Mongolia
MO|853|Macao;Macau
MP|1|Northern Mariana Islands
MQ|596|Martinique
MR|222|Mauritania
MS|1|Montserrat
MT|356|Malta
MU|230|Mauritius
MV|960|Maldives
MW|265|Malawi
MX|52|Mexico
MY|60|Malaysia
MZ|258|Mozambique
NA|264|Namibia
NC|687|New Caledonia
NE|227|Niger
NF|672|Norfolk Island
NG|234|Nigeria
NI|505|Nicaragua
NL|31|Netherlands;Holland
NO|47|Norway
NP|977|Nepal
NR|674|Nauru
NU|683|Niue
NZ|64|New Zealand
OM|968|Oman
PA|507|Panama
PE|51|Peru
PF|689|French Polynesia
PG|675|Papua New Guinea
PH|63|Philippines
PK|92|Pakistan
PL|48|Poland
PM|508|Saint Pierre and Miquelon
PN|64|Pitcairn Islands;Pitcairn
PR|1|Puerto Rico
PS|970|Palestine;State of Palestine
PT|351|Portugal
PW|680|Palau
PY|595|Paraguay
QA|974|Qatar
RE|262|Réunion
RO|40|Romania
RS|381|Serbia
RU|7|Russia;Russian Federation
RW|250|Rwanda
SA|966|Saudi Arabia
SB|677|Solomon Islands
SC|248|Seychelles
SD|249|Sudan
SE|46|Sweden
SG|65|Singapore
SH|290|Saint Helena;Saint Helena, Ascension and Tristan da Cunha
SI|386|Slovenia
SJ|47|Svalbard and Jan Mayen
SK|421|Slovakia
SL|232|Sierra Leone
SM|378|San Marino
SN|221|Senegal
SO|252|Somalia
SR|597|Suriname
SS|211|South Sudan
ST|239|São Tomé and Príncipe
SV|503|El Salvador
SX|1|Sint Maarten
SY|963|Syria;Syrian Arab Republic
SZ|268|Eswatini;Swaziland
TC|1|Turks and Caicos Islands
TD|235|Chad
TF|262|French Southern Territories
TG|228|Togo
TH|66|Thailand
TJ|992|Tajikistan
TK|690|Tokelau
TL|670|Timor-Leste;East Timor
TM|993|Turkmenistan
TN|216|Tunisia
TO|676|Tonga
TR|90|Türkiye;Turkey
TT|1|Trinidad and Tobago
TV|688|Tuvalu
TW|886|Taiwan
TZ|255|Tanzania;Tanzania, United Republic of
UA|380|Ukraine
UG|256|Uganda
UM|1|United States Minor Outlying Islands
US|1|United States;USA;U.S.;U.S.A.;United States of America;America
UY|598|Uruguay
UZ|998|Uzbekistan
VA|39|Vatican City;Holy See
VC|1|Saint Vincent and the Grenadines
VE|58|Venezuela;Venezuela, Bolivarian Republic of
VG|1|British Virgin Islands;Virgin Islands, British
VI|1|U.S. Virgin Islands;United States Virgin Islands;Virgin Islands, U.S.
VN|84|Vietnam;Viet Nam
VU|678|Vanuatu
WF|681|Wallis and Futuna
WS|685|Samoa
YE|967|Yemen
YT|262|Mayotte
ZA|27|South Africa
ZM|260|Zambia
ZW|263|Zimbabwe
`;

/** One country: its ISO-2 code (uppercase), ITU calling code and English names. */
export interface Country {
  code: string;
  callingCode: string;
  names: readonly string[];
}

/** Every ISO 3166-1 country, keyed by its uppercase alpha-2 code. */
export const COUNTRIES: ReadonlyMap<string, Country> = new Map(
  TABLE.trim()
    .split('\n')
    .map((line): [string, Country] => {
      const [code, callingCode, names] = line.split('|') as [string, string, string];
      return [code, { code, callingCode, names: names.split(';') }];
    }),
);

/**
 * A country name reduced to its letters, so that "Côte d'Ivoire", "cote divoire" and
 * "Bosnia & Herzegovina" meet their table entries.
 */
export function countryNameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/&/gu, 'and')
    .replace(/^the\s+/u, '')
    .replace(/\P{L}+/gu, '');
}

const BY_NAME: ReadonlyMap<string, string> = new Map(
  [...COUNTRIES.values()].flatMap((country) => country.names.map((name) => [countryNameKey(name), country.code])),
);

/** The uppercase ISO-2 code for a code (any case) or an English country name, if known. */
export function countryCode(value: string): string | undefined {
  const text = value.trim();
  if (/^[a-z]{2}$/iu.test(text) && COUNTRIES.has(text.toUpperCase())) return text.toUpperCase();
  return BY_NAME.get(countryNameKey(text));
}

/** The ITU calling code (digits, no `+`) of an ISO-2 country code in any case, if known. */
export function callingCodeOf(countryCode: string): string | undefined {
  return COUNTRIES.get(countryCode.trim().toUpperCase())?.callingCode;
}

const CALLING_CODES: ReadonlySet<string> = new Set([...COUNTRIES.values()].map((country) => country.callingCode));

/**
 * The calling code an international number's digits start with (no `+` or `00`), if any.
 * Calling codes are prefix-free, so at most one of 1, 2 or 3 leading digits is a code.
 */
export function leadingCallingCode(digits: string): string | undefined {
  for (const length of [1, 2, 3]) {
    const candidate = digits.slice(0, length);
    if (candidate.length === length && CALLING_CODES.has(candidate)) return candidate;
  }
  return undefined;
}
