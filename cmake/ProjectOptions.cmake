# Compiler settings for project code only. Third-party headers come from the system include path and
# are not held to these warnings. Link `patchcast_warnings` PRIVATE to every project target.
add_library(patchcast_warnings INTERFACE)
target_compile_options(patchcast_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                       -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
if(PATCHCAST_WERROR)
  target_compile_options(patchcast_warnings INTERFACE -Werror)
endif()

# The fuzz build instruments every library for libFuzzer's coverage feedback too (test files opt
# out: tests/CMakeLists.txt); only the targets in fuzz/ link libFuzzer's main (-fsanitize=fuzzer).
# Other executables link the sanitizers' runtime, which holds do-nothing coverage callbacks. gcc
# has no libFuzzer.
if(PATCHCAST_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "PATCHCAST_FUZZ needs clang (scripts/configure.sh BUILD_DIR --fuzz)")
  endif()
  if(PATCHCAST_DOMAIN_ONLY)
    message(FATAL_ERROR "PATCHCAST_FUZZ needs api/, which PATCHCAST_DOMAIN_ONLY leaves out")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
if(PATCHCAST_SANITIZE OR PATCHCAST_FUZZ)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()

# Every executable lands at the top of the build tree: build/patchcast, build/patchcast_api_test, ...
set(CMAKE_RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})

# In the clang sanitized tree a target's common headers are parsed once for the target, not once
# per file. The g++ trees build without, so a file that forgets an include still fails there.
function(patchcast_precompile_when_sanitized target)
  if(PATCHCAST_SANITIZE)
    target_precompile_headers(${target} PRIVATE ${ARGN})
  endif()
endfunction()
