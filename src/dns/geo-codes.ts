/**
 * Route 53 geolocation codes.
 *
 * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_GeoLocation.html
 */

/** Continent codes Route 53 accepts. */
export const CONTINENT_CODES = ['AF', 'AN', 'AS', 'EU', 'NA', 'OC', 'SA'];

/** ISO 3166-1 alpha-2 country codes (plus Route 53's UA for Ukraine, already included). `UK` is not one: use `GB`. */
export const COUNTRY_CODES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ '
  + 'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR '
  + 'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO '
  + 'JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR '
  + 'MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO '
  + 'RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV '
  + 'TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

/** US subdivisions (states, DC and territories) Route 53 accepts with country US. */
export const US_SUBDIVISION_CODES = (
  'AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC ND NE NH NJ NM NV NY OH OK OR '
  + 'PA RI SC SD TN TX UT VA VT WA WI WV WY AS GU MP PR UM VI'
).split(' ');

/**
 * Checks a geolocation code: '*' (default), a continent (`continent:EU`), a country (`DE`) or a
 * US subdivision (`US-CA`). Returns why it is invalid, or undefined.
 */
export function geolocationCodeProblem(code: string): string | undefined {
  if (code === '*') return undefined;
  if (code.startsWith('continent:')) {
    const c = code.slice('continent:'.length);
    return CONTINENT_CODES.includes(c) ? undefined : `unknown continent '${c}'; continents are ${CONTINENT_CODES.join(', ')}`;
  }
  if (code === 'UK') return "'UK' is not an ISO 3166-1 code: use 'GB' for the United Kingdom";
  const sub = /^US-([A-Z]{2})$/.exec(code);
  if (sub) return US_SUBDIVISION_CODES.includes(sub[1]) ? undefined : `unknown US subdivision '${sub[1]}'`;
  if (/^[A-Z]{2}$/.test(code)) return COUNTRY_CODES.includes(code) ? undefined : `unknown ISO 3166-1 alpha-2 country '${code}'`;
  return `'${code}' is not a geolocation code: use '*', 'continent:EU', a country like 'DE' or a US state like 'US-CA'`;
}
