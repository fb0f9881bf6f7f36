/* The terminal approval gate of Sources/Mission/Gate/TerminalGate.swift, abstracted: its state, and one inline per
 * event it handles. gate.pml puts it in a nondeterministic world and checks the properties; replay checks each
 * inline against the transitions the Swift gate makes (Tools/gate-model/gate-table.txt, written by
 * Tests/MissionTests/GateModelTableTests.swift).
 *
 * Abstractions (each over-approximates what the Swift code can do, so a property that holds here holds there):
 * - Signatures, key ring, vehicle id, designated point: one boolean per approval, "matches the current request and
 *   is validly signed" or not; a non-matching approval is rejected without a state change in Swift except the
 *   expired case, which is modelled separately.
 * - Times: "expired" is a boolean the environment may set at any time while a request is pending (either clock).
 * - Altitude: "above" (above the abort floor) flips nondeterministically at any time; NaN counts as above.
 * - Nonces: each request gets a fresh nonce (Swift refuses zero, reused and last nonces); "used" marks the current
 *   request's nonce as accepted. Replays of older nonces are rejections without a state change.
 * - Failures: one "any active" bit; clearing may or may not empty the set (nondeterministic).
 * - Mode machine: only the modes the gate talks to; its failsafe choice (loiter/RTL/failsafe orbit) is
 *   nondeterministic. NOT derived from FlightModeMachine.swift's code.
 */
mtype = { G_IDLE, G_PENDING, G_TERMINAL, G_WAVINGOFF };
mtype = { M_MISSION, M_LOITER, M_APPROVAL, M_TERMINAL, M_WAVEOFF, M_RTL, M_FAILSAFE };

mtype gate = G_IDLE;
mtype mode = M_LOITER;
bool above = true;
bool failures = false;
bool expired = false;
bool used = false;
bool authorised = false;   /* ghost: terminal was entered by a valid approval */

#define agree ((gate == G_TERMINAL) == (mode == M_TERMINAL) && (gate == G_PENDING) == (mode == M_APPROVAL) \
               && (gate == G_WAVINGOFF) == (mode == M_WAVEOFF))

/* leave(reason, then: action): act_loiter selects the failure's action (loiter, else return to launch). */
inline leave(act_loiter) {
  skip;
  if
  :: gate == G_PENDING -> gate = G_IDLE; mode = (act_loiter -> M_LOITER : M_RTL)
  :: gate == G_TERMINAL && above ->
       authorised = false;
       if :: act_loiter -> gate = G_WAVINGOFF; mode = M_WAVEOFF
          :: else -> gate = G_IDLE; mode = M_RTL fi
  :: else -> skip   /* idle, waving off, or below the floor: continueTerminal */
  fi
}

/* requestTerminal(designation, loiteringOverDesignation: loitering) */
inline request(loitering) {
  skip;
  if
  :: gate == G_TERMINAL || gate == G_WAVINGOFF -> skip
  :: else ->
     if :: (loitering) && !failures ->
           gate = G_PENDING; mode = M_APPROVAL; expired = false; used = false
        :: else -> skip fi
  fi
}

inline approve() {
  skip;
  if
  :: used -> skip                                /* replayed */
  :: !used && gate != G_PENDING -> skip          /* notPending / expired */
  :: !used && gate == G_PENDING && expired -> gate = G_IDLE; mode = M_LOITER
  :: !used && gate == G_PENDING && !expired && failures -> skip
  :: !used && gate == G_PENDING && !expired && !failures ->
       used = true; gate = G_TERMINAL; mode = M_TERMINAL; authorised = true
  fi
}

inline waveoff() {
  skip;
  if
  :: gate == G_PENDING || (gate == G_TERMINAL && above) ->
#ifdef BUG_WAVEOFF_IGNORED
       skip
#else
       leave(true)
#endif
  :: else -> skip     /* belowAbortFloor, notPending */
  fi
}

/* A tick after the request's expiry. */
inline tick_expired() {
  skip;
  if :: gate == G_PENDING -> expired = true; gate = G_IDLE; mode = M_LOITER :: else -> skip fi
}

/* failure(f): act_loiter is the failure's action */
inline failure(act_loiter) { failures = true; leave(act_loiter) }

inline designation_changed() {
  skip;
  if :: gate == G_PENDING || gate == G_TERMINAL -> leave(true) :: else -> skip fi
}

/* The vehicle left the loiter: only a pending request depends on it (an approach leaves the loiter by design). */
inline loiter_lost() {
  skip;
  if :: gate == G_PENDING -> leave(true) :: else -> skip fi
}

inline loiter_established() {
  skip;
  if :: gate == G_WAVINGOFF -> gate = G_IDLE; mode = M_LOITER :: else -> skip fi
}

inline terminal_finished() {
  skip;
  if :: gate == G_TERMINAL -> gate = G_IDLE; mode = M_LOITER; authorised = false :: else -> skip fi
}

/* The mode machine flew another mode: the gate lets go of whatever it held, whatever the altitude. (Below the floor
 * the mode machine refuses mode commands on a committed approach, so it never says this there: see mode_change.) */
inline left_by_mode_change() {
  skip;
  gate = G_IDLE; authorised = false
}
