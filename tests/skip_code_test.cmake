# A C++ test case whose reference material is absent must end with the skip code under ctest
# (GOVSIM_SKIP in support.hpp), so that ctest reports it as skipped rather than passed.
set(ENV{GOVSIM_SHARED_DIR} "${CMAKE_CURRENT_LIST_DIR}/no-such-reference-folder")
set(ENV{GOVSIM_TEST_SKIP_EXIT} 1)
execute_process(COMMAND ${TESTS} "nk3 log-likelihood matches Dynare" RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 77 OR NOT out MATCHES "SKIPPED: shared reference folder")
  message(FATAL_ERROR "expected exit code 77 and a SKIPPED line, got ${rc}: ${out}")
endif()
