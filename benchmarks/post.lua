-- wrk sends every request as this form POST; run.py passes the encoded form in WRK_BODY
-- (the session and CSRF cookies come as -H headers).
wrk.method = "POST"
wrk.body = os.getenv("WRK_BODY")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
