// The captured mod_xml_curl traffic of a real FreeSWITCH (tests/fixtures/freeswitch/xml_curl) and how tests read it.
import { fsUrlDecode } from '@pbx/esl';
import { splitBody } from '@pbx/freeswitch-double/xml-curl';

/** Requests and answers of a real FreeSWITCH 1.10.12, captured byte for byte. */
export const XML_CURL_CAPTURES = new URL('../../../tests/fixtures/freeswitch/xml_curl/', import.meta.url);

/** The body of a captured HTTP request or answer (everything after the head). */
export const bodyOf = (raw: string): string => raw.slice(raw.indexOf('\r\n\r\n') + 4);

/** The fields of a captured request, URL-decoded. */
export const capturedFields = (raw: Buffer): Map<string, string> =>
  new Map(splitBody(bodyOf(raw.toString('latin1'))).map(([k, v]) => [k, fsUrlDecode(v)]));
