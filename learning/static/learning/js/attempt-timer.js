/*
 * The attempt page's countdown and background saving (learning/includes/timer.html).
 *
 * The server is the only judge of time: it marks the answers saved by the deadline
 * (plus a short grace), whatever this script shows. The countdown starts from the
 * seconds the server gave with the page and is set again from each save's answer.
 * Without this script the page's Save and Submit buttons do everything.
 */
(function () {
    "use strict";

    var root = document.querySelector("[data-attempt-timer]");
    if (!root) {
        return;
    }
    var words = root.dataset;
    var announcer = root.querySelector("[data-timer-announcer]");
    var statusLine = root.querySelector("[data-autosave-status]");
    var lastAnnounced = "";

    function announce(message) {
        // Emptied first, so that a message said again is heard again.
        lastAnnounced = message;
        announcer.textContent = "";
        window.setTimeout(function () {
            announcer.textContent = message;
        }, 150);
    }

    // The countdown ---------------------------------------------------------------

    var clock = root.querySelector("[data-timer-clock]");
    var endsAt = null;
    var ticking = null;
    var onTimeUp = [];
    // Seconds left at which the time is announced, and what is said.
    var moments = [
        [600, words.textTenMinutes],
        [300, words.textFiveMinutes],
        [60, words.textOneMinute],
        [0, words.textTimeUp],
    ];
    var said = {};

    function secondsLeft() {
        return Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
    }

    function twoDigits(number) {
        return (number < 10 ? "0" : "") + number;
    }

    function formatted(seconds) {
        var hours = Math.floor(seconds / 3600);
        var minutes = Math.floor((seconds % 3600) / 60);
        var rest = twoDigits(seconds % 60);
        return hours ? hours + ":" + twoDigits(minutes) + ":" + rest : minutes + ":" + rest;
    }

    function showWarning(message) {
        var warning = root.querySelector("[data-timer-warning]");
        if (message) {
            warning.querySelector("[data-timer-warning-text]").textContent = message;
        }
        warning.hidden = false;
    }

    function tick(quietly) {
        var left = secondsLeft();
        clock.textContent = formatted(left);
        moments.forEach(function (moment) {
            if (left <= moment[0] && !said[moment[0]]) {
                said[moment[0]] = true;
                // Moments already past when the page opened are not announced: the
                // countdown and the deadline on the page say where things stand.
                if (!quietly) {
                    announce(moment[1]);
                }
            }
        });
        if (left <= 300) {
            showWarning();
        }
        if (left <= 0) {
            showWarning(words.textTimeUp);
            window.clearInterval(ticking);
            ticking = null;
            onTimeUp.forEach(function (action) {
                action();
            });
        }
    }

    function setSecondsLeft(seconds, quietly) {
        if (!clock || typeof seconds !== "number" || !isFinite(seconds)) {
            return;
        }
        endsAt = Date.now() + seconds * 1000;
        tick(quietly);
        if (seconds > 0 && ticking === null) {
            ticking = window.setInterval(tick, 1000);
        }
    }

    var initial = root.getAttribute("data-seconds-left");
    if (clock && initial !== "" && initial !== null && !isNaN(Number(initial))) {
        root.querySelector("[data-timer-countdown]").hidden = false;
        setSecondsLeft(Number(initial), true);
    }

    // Saving in the background -----------------------------------------------------

    var form = document.querySelector("form[data-autosave-url]");
    if (!form || !window.fetch || !window.FormData) {
        return;
    }
    var url = form.getAttribute("data-autosave-url");
    // A pause after the last change, and a gap between saves: the saves share the
    // learner's allowance of answer requests with the Save and Submit buttons.
    var pause = 1500;
    var gap = 5000;
    var retryAfterFailure = 15000;
    var changed = false;
    var sending = false;
    var stopped = false;
    var everSaved = false;
    var failing = false;
    var lastSent = 0;
    var waiting = null;

    function later(delay) {
        window.clearTimeout(waiting);
        waiting = window.setTimeout(send, Math.max(delay, lastSent + gap - Date.now()));
    }

    function say(message, announced) {
        statusLine.textContent = message;
        statusLine.hidden = false;
        if (announced && message !== lastAnnounced) {
            announce(message);
        }
    }

    function saved(data) {
        var time = new Date(data.saved_at).toLocaleTimeString(
            document.documentElement.lang || undefined,
            { hour: "2-digit", minute: "2-digit", hour12: false }
        );
        var message = words.textSaved.replace("%(time)s", time);
        // Said aloud only when saving starts to work, not at every save.
        say(message, !everSaved || failing);
        everSaved = true;
        failing = false;
        setSecondsLeft(data.seconds_left);
    }

    function failed(message) {
        failing = true;
        say(message, true);
    }

    function answered(response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        // Signed out meanwhile: the sign-in page answers instead of the endpoint.
        if (response.redirected || !json) {
            return { response: response, data: null };
        }
        return response.json().then(
            function (data) {
                return { response: response, data: data };
            },
            function () {
                return { response: response, data: null };
            }
        );
    }

    function handle(result) {
        var response = result.response;
        var data = result.data || {};
        sending = false;
        if (response.ok && data.saved_at) {
            saved(data);
        } else if (response.status === 429) {
            changed = true;
            failed(words.textRetrying);
            var wait = parseInt(response.headers.get("Retry-After"), 10);
            later((isNaN(wait) ? 30 : wait) * 1000);
            return;
        } else if (response.status === 409) {
            stopped = true;
            failed(data.error || words.textNotSaved);
            return;
        } else {
            failed(data.error || words.textNotSaved);
        }
        if (changed && !stopped) {
            later(pause);
        }
    }

    function send() {
        if (stopped || !changed) {
            return;
        }
        if (sending) {
            later(pause);
            return;
        }
        changed = false;
        sending = true;
        lastSent = Date.now();
        window
            .fetch(url, {
                method: "POST",
                body: new FormData(form),
                credentials: "same-origin",
                headers: { Accept: "application/json" },
            })
            .then(answered)
            .then(handle, function () {
                // No connection: keep the change and try again a little later.
                sending = false;
                changed = true;
                failed(words.textRetrying);
                later(retryAfterFailure);
            });
    }

    form.addEventListener("change", function () {
        if (stopped) {
            return;
        }
        changed = true;
        later(pause);
    });

    // The learner pressed Save or Submit: the form itself carries the answers now.
    form.addEventListener("submit", function () {
        stopped = true;
        window.clearTimeout(waiting);
    });

    // Answers changed just before the page is left are sent on their way.
    window.addEventListener("pagehide", function () {
        if (changed && !stopped && navigator.sendBeacon) {
            changed = false;
            navigator.sendBeacon(url, new FormData(form));
        }
    });

    // When time is up, the last change is sent at once, within the server's grace.
    onTimeUp.push(function () {
        if (changed && !stopped) {
            lastSent = 0;
            later(0);
        }
    });
})();
