// iCalendar (RFC 5545) output: the content-line rules — TEXT escaping (3.3.11), folding at 75
// octets (3.1), CRLF line ends — and the VCALENDAR feed of a list of events that
// GET /v1/events.ics and GET /v1/calendars/{id}/events.ics serve.
//
// Feeds are deterministic: the same events give the same bytes, so the ETag of a feed changes only
// when its events do, and calendar apps polling it get 304s. To that end DTSTAMP, which RFC 5545
// requires on every VEVENT, is the event's start rather than the time of the request (nothing in a
// feed is "revised" at a time the service knows). UIDs are "<event id>@patchcast", stable because
// event ids are (calendars/event.h). Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <span>
#include <string>
#include <string_view>

#include "calendars/event.h"

namespace patchcast::api {

// The media type of the feeds.
inline constexpr std::string_view kIcsContentType = "text/calendar; charset=utf-8";

// Escapes `text` as an RFC 5545 TEXT value (3.3.11): backslash, semicolon and comma get a
// backslash; a line break (LF, CR LF or a lone CR) becomes "\n". Other control characters, which
// TEXT does not allow, are dropped; HTAB is kept. Bytes >= 0x80 pass through (UTF-8).
std::string EscapeIcsText(std::string_view text);

// Appends `line` (one unfolded content line, without its line end) to `out`, folded so that no
// physical line exceeds 75 octets before its CRLF: each continuation line starts with one space
// (3.1). A fold never splits a UTF-8 multi-octet sequence, so a physical line may be shorter than
// 75 octets.
void AppendContentLine(std::string& out, std::string_view line);

// Returns `instant` as a UTC DATE-TIME value, e.g. "20070814T170000Z" (3.3.5, form #2).
std::string IcsUtcDateTime(std::chrono::sys_seconds instant);

// Appends the opening lines every feed shares: BEGIN:VCALENDAR, VERSION 2.0, a fixed PRODID,
// CALSCALE GREGORIAN, X-WR-CALNAME `title`, and a 6-hour refresh interval (RFC 7986 5.7 and
// X-PUBLISHED-TTL). The caller appends its components and "END:VCALENDAR".
void AppendIcsCalendarHeader(std::string& out, std::string_view title);

// Returns a VCALENDAR (AppendIcsCalendarHeader with `title`) holding one VEVENT per
// event, in the order given: UID, DTSTAMP, DTSTART (UTC), DTEND when the event has a duration,
// SUMMARY ("<calendar> <kind>", e.g. "microsoft advance notice"), DESCRIPTION (kind, local start
// and zone, source, and each of bulletins, max severity, restart required and notes that is
// known, one per line), CATEGORIES (the kind), CLASS (PUBLIC or PRIVATE) and TRANSP:TRANSPARENT.
std::string WriteIcsCalendar(std::span<const calendars::Event> events, std::string_view title);

}  // namespace patchcast::api
