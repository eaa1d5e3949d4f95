# What the source checks share: reading a file as lines, and finding the lines that match.
#
# read_source_lines(PATH OUT): the lines of the file at PATH as a CMake list, one element per line.
# file(STRINGS) would merge lines: CMake lists split on ';' and nest on '[' and ']', which C++ has.
# Those three become ',', '(' and ')', which no check's pattern looks for.
function(read_source_lines path out)
  file(READ "${path}" text)
  string(REPLACE ";" "," text "${text}")
  string(REPLACE "[" "(" text "${text}")
  string(REPLACE "]" ")" text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  set(${out} "${lines}" PARENT_SCOPE)
endfunction()

# append_matching_lines(PATH SHOWN PATTERNS OUT): appends to OUT a "\n  SHOWN:N: line" entry for
# each line of the file at PATH that matches any regular expression of the list PATTERNS.
function(append_matching_lines path shown patterns out)
  read_source_lines("${path}" lines)
  set(found "${${out}}")
  set(line_number 0)
  foreach(line IN LISTS lines)
    math(EXPR line_number "${line_number} + 1")
    foreach(pattern IN LISTS patterns)
      if(line MATCHES "${pattern}")
        string(APPEND found "\n  ${shown}:${line_number}: ${line}")
      endif()
    endforeach()
  endforeach()
  set(${out} "${found}" PARENT_SCOPE)
endfunction()
