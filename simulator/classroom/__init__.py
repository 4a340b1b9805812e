"""The classroom server: calmline's own app served to trainees' browsers, one app process per
signed-in trainee, behind a roster of personal sign-in codes (``calmline serve``)."""
