# View → Rejected records… (issue 12 item 4): the dialog and its model over a cache with rejections.
rootline_test(tst_rejections_dialog LIBS rootline_ui)
