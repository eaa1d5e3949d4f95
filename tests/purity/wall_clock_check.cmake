# Fails when project code other than the service's one clock (server/system_clock.h, which only
# server/main.cpp includes) reads the wall clock, in C++ or in SQL. So the tests labelled
# `clock_free` (the unit test binaries; none starts the service) cannot depend on the date they
# run on, and the suite at fixed instants (scripts/test.sh --at) may leave them out. Globbing is
# deliberate: a new file must not escape the check. A monotonic clock is not the date, and stays
# allowed.
#
# cmake -DROOT=<repo> -DDIRS=api,server,tests [-DALLOWED=server/system_clock.h,...]
#       -P wall_clock_check.cmake
# (commas: CTest would pass a ';' of a test's command line on literally)
cmake_policy(SET CMP0057 NEW)  # if(IN_LIST)
include(${CMAKE_CURRENT_LIST_DIR}/source_scan.cmake)

foreach(variable ROOT DIRS)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "wall_clock_check.cmake: ${variable} is not set")
  endif()
endforeach()

string(REPLACE "," ";" DIRS "${DIRS}")
string(REPLACE "," ";" ALLOWED "${ALLOWED}")
set(sources "")
foreach(dir IN LISTS DIRS)
  file(GLOB_RECURSE found RELATIVE "${ROOT}" "${ROOT}/${dir}/*.h" "${ROOT}/${dir}/*.cpp")
  list(APPEND sources ${found})
endforeach()
set(wall_clock_reads
  "(system_clock|high_resolution_clock|utc_clock|tai_clock|gps_clock|file_clock)::now"
  "[^a-z_]time[ \t]*\\([ \t]*(nullptr|NULL|0)[ \t]*\\)"
  "gettimeofday|CLOCK_REALTIME|[^a-z_]ftime[ \t]*\\("
  # SQL: SQLite's 'now' and PostgreSQL's clock functions (a C++ `::now()` or `.now()` is not this).
  "'now'|CURRENT_(TIMESTAMP|DATE|TIME)|[ \t,(=]now\\(\\)|localtimestamp|clock_timestamp|statement_timestamp|transaction_timestamp")
set(violations "")
foreach(source IN LISTS sources)
  if(source IN_LIST ALLOWED)
    continue()
  endif()
  append_matching_lines("${ROOT}/${source}" "${source}" "${wall_clock_reads}" violations)
endforeach()

list(LENGTH sources count)
if(count EQUAL 0)
  message(FATAL_ERROR "wall_clock_check.cmake: no sources found in ${DIRS} under ${ROOT}")
endif()
if(violations)
  message(FATAL_ERROR "no file but those allowed (${ALLOWED}) may read the wall clock; found:"
                      "${violations}")
endif()
message(STATUS "${count} files under ${DIRS}: no wall clock read outside ${ALLOWED}")
