# Secrets (issue 13 item 4): the credential scrubber and `export --redact`'s redactor, and error
# text from HTTP responses (the client and every connector against a server echoing headers in a
# 401 body). tst_sources (credentials in the sources file) and tst_export (planted secrets through
# `rootline-cli export --redact`) live with their areas.
rootline_test(tst_secret_scrubber LIBS rootline_model)
rootline_test(tst_error_secrets LIBS rootline_connectors)
