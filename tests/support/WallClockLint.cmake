# Fails when code in app/, ui/, connectors/ or model/ reads the wall clock itself instead of asking
# Clock::current() (model/core/Clock.h). Run by ctest as tst_wall_clock_lint with -DROOT=<source dir>.
# Elapsed-time measurement (std::chrono::steady_clock, QElapsedTimer) is allowed: it is not a date.
set(forbidden
    "system_clock::now"
    "QDateTime::currentDateTime"
    "QDateTime::currentMSecsSinceEpoch"
    "QDateTime::currentSecsSinceEpoch"
    "QDate::currentDate"
    "QTime::currentTime"
    "Timestamp::now()"
    "time(nullptr)"
    "time(NULL)"
    "time(0)"
    "gettimeofday("
    "CLOCK_REALTIME")
file(GLOB_RECURSE sources ${ROOT}/app/*.cpp ${ROOT}/app/*.h ${ROOT}/ui/*.cpp ${ROOT}/ui/*.h
     ${ROOT}/connectors/*.cpp ${ROOT}/connectors/*.h ${ROOT}/model/*.cpp ${ROOT}/model/*.h)
set(offences "")
foreach(source IN LISTS sources)
    if(source MATCHES "/model/core/Clock\\.cpp$")
        continue()
    endif()
    file(STRINGS ${source} lines)
    set(number 0)
    foreach(line IN LISTS lines)
        math(EXPR number "${number} + 1")
        foreach(pattern IN LISTS forbidden)
            string(FIND "${line}" "${pattern}" at)
            if(NOT at EQUAL -1)
                file(RELATIVE_PATH shown ${ROOT} ${source})
                string(APPEND offences "  ${shown}:${number}: ${pattern}\n")
            endif()
        endforeach()
    endforeach()
endforeach()
if(offences)
    message(FATAL_ERROR "These read the wall clock directly; ask Clock::current().now() instead:\n${offences}")
endif()
list(LENGTH sources count)
message(STATUS "${count} files checked: only Clock::system() reads the wall clock")
