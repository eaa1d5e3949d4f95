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
