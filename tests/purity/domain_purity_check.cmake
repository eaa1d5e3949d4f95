# Fails when a domain source (calendars/, forecasting/) uses what the domain must not: HTTP, JSON or SQLite headers, the
# environment, the clock, console output or file I/O (house style, "Layout and dependencies").
# Debian puts every third-party header on the default include path, so linking alone cannot enforce
# this. Globbing is deliberate here: a new file must not escape the check.
#
# cmake -DDIR=<repo>/calendars -P domain_purity_check.cmake
include(${CMAKE_CURRENT_LIST_DIR}/source_scan.cmake)

if(NOT DEFINED DIR)
  message(FATAL_ERROR "domain_purity_check.cmake: DIR is not set")
endif()

file(GLOB sources "${DIR}/*.h" "${DIR}/*.cpp")
set(forbidden
  "#include[ \t]*[<\"](httplib|nlohmann/|SQLiteCpp/|sqlite3)"
  "#include[ \t]*<(fstream|iostream|cstdio)>"
  "getenv"
  "(system_clock|steady_clock|high_resolution_clock)::now"
  "std::(cout|cerr|clog)"
  "[^a-z_]printf[ \t]*\\("
  "fopen[ \t]*\\(")
set(violations "")
foreach(source IN LISTS sources)
  append_matching_lines("${source}" "${source}" "${forbidden}" violations)
endforeach()

list(LENGTH sources count)
if(count EQUAL 0)
  message(FATAL_ERROR "domain_purity_check.cmake: no sources found in ${DIR}")
endif()
if(violations)
  message(FATAL_ERROR "${DIR} must stay pure domain code; found:${violations}")
endif()
message(STATUS "${DIR}: ${count} files, no HTTP/JSON/SQLite, environment, clock, console or file I/O")
