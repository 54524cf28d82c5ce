"""The test helpers every test folder shares, one of each, so that no test starts a server its own way.

- `loopback`: the one loopback HTTP server for tests. It binds 127.0.0.1 port 0 itself and
  says which port it got; each request gets a scripted `Reply` (status, headers, body), a
  file from a folder, or a `Misbehaviour` that takes over the raw connection (reset, stall,
  truncate, any bytes). It records every request and every status it answered.
- `mock`: the one way to run the mock, in a thread or in a child process, both through the
  launcher the mock package ships (`calyptia_mock.server`): `calyptia-mock --port 0
  --print-json` for the process, a socket bound to port 0 for the thread. No free-port race.
"""
