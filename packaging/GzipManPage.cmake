# Writes one manual page: runs PROGRAM --manpage (the page is rendered from the same option tables
# that PROGRAM --help prints, so the two cannot drift apart) into OUT, then compresses it to
# OUT.gz as Debian policy asks (gzip -9, no name or time stamp, so the bytes are reproducible).
# cmake -DPROGRAM=<binary> -DOUT=<dir/name.1> -P GzipManPage.cmake
execute_process(COMMAND ${PROGRAM} --manpage OUTPUT_FILE ${OUT} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${PROGRAM} --manpage failed (${rc}): ${err}")
endif()
execute_process(COMMAND gzip -9nf ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${OUT} failed (${rc})")
endif()
