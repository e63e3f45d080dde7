# The installable Rootline (issue 14): the desktop files pass their validators, the Debian
# package builds, passes lintian, and works when unpacked into a scratch root; the file type,
# the About box and the start page do what an installed copy promises.
set(ROOTLINE_PACKAGE_TEST_DIR ${PROJECT_BINARY_DIR}/package-test)
add_test(NAME package_desktop_entry
    COMMAND desktop-file-validate ${PROJECT_SOURCE_DIR}/resources/desktop/rootline.desktop)
add_test(NAME package_appstream
    COMMAND appstreamcli validate --no-net ${PROJECT_BINARY_DIR}/packaging/${ROOTLINE_APP_ID}.metainfo.xml)
# The package is built once (cpack, into its own folder) and shared by the checks that need it.
add_test(NAME package_build
    COMMAND ${PROJECT_SOURCE_DIR}/packaging/tests/build-package.sh ${PROJECT_BINARY_DIR} ${ROOTLINE_PACKAGE_TEST_DIR})
set_tests_properties(package_build PROPERTIES FIXTURES_SETUP rootline_deb TIMEOUT 300)
add_test(NAME package_lintian COMMAND ${PROJECT_SOURCE_DIR}/packaging/tests/lintian.sh ${ROOTLINE_PACKAGE_TEST_DIR})
add_test(NAME package_install
    COMMAND ${PROJECT_SOURCE_DIR}/packaging/tests/check-installed.sh ${ROOTLINE_PACKAGE_TEST_DIR} ${PROJECT_VERSION}
            ${ROOTLINE_APP_ID} ${ROOTLINE_PACKAGE_TEST_DIR}/screenshots)
set_tests_properties(package_lintian package_install PROPERTIES FIXTURES_REQUIRED rootline_deb TIMEOUT 300)

# .rootline files recognised by content through the shared-mime-info file the package installs.
rootline_test(tst_mime_type LIBS Qt6::Core)
target_compile_definitions(tst_mime_type PRIVATE ROOTLINE_MIME_XML="${PROJECT_SOURCE_DIR}/resources/desktop/rootline-mime.xml"
    ROOTLINE_SAMPLE_INCIDENT="${ROOTLINE_SAMPLE_INCIDENT}")
add_dependencies(tst_mime_type sample_incident)
# The About box's versions, the start page, and the recent-investigations list.
rootline_test(tst_about_welcome LIBS rootline_ui)
target_compile_definitions(tst_about_welcome PRIVATE ROOTLINE_SAMPLE_INCIDENT="${ROOTLINE_SAMPLE_INCIDENT}")
add_dependencies(tst_about_welcome sample_incident)
