# Which libraries each test links: one line per test.
