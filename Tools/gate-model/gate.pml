/* The SPIN model of the terminal gate (gate_core.pml) and the modes it drives, in a world where every event can
 * happen at any time, with the four properties as assertions: checked exhaustively by Tools/gate-model/check. */
#include "gate_core.pml"

bool recovering = false;

/* An operator mode command (hold, RTL, mission) or a failsafe orbit: refused on a committed approach. */
inline mode_change(m) {
  skip;
  if
  :: gate == G_TERMINAL && !above -> skip
  :: else -> mode = m; left_by_mode_change()
  fi
}

active proctype world() {
  bool was_terminal_above;
  do
  :: !recovering -> atomic {
     if
     :: request(mode == M_LOITER || mode == M_APPROVAL)
     :: approve()
     :: skip                                    /* invalid, unsigned, other-nonce approval: rejected */
     :: was_terminal_above = (gate == G_TERMINAL && above); waveoff();
        /* property 2: a wave-off above the floor leaves terminal */
        assert(!(was_terminal_above) || gate != G_TERMINAL)
     :: above = !above                          /* tick */
     :: gate == G_PENDING -> expired = true
     :: expired -> tick_expired()
     :: failure(true)                           /* GPS / battery / geofence with loiter action */
     :: failure(false)                          /* link loss ... with return-to-launch action */
     :: failure(true); mode_change(M_FAILSAFE)  /* estimator: failsafe orbit */
     :: failures = false                        /* failureCleared (all) */
     :: designation_changed()
     :: loiter_lost()
     :: loiter_established()
     :: terminal_finished()
     :: mode_change(M_LOITER)
     :: mode_change(M_RTL)
     :: mode_change(M_MISSION)
#ifdef BUG_ENTER_UNAPPROVED
     :: gate == G_PENDING -> gate = G_TERMINAL; mode = M_TERMINAL
#endif
#ifdef BUG_DISAGREE
     :: gate == G_TERMINAL -> mode = M_LOITER
#endif
     fi;
     assert(gate != G_TERMINAL || authorised);   /* property 1 */
     assert(agree)                                /* property 3 */
     }
  :: !recovering -> recovering = true
  :: recovering -> break
  od;
  /* property 4: from the state reached, a fixed recovery sequence makes a request possible again. */
  atomic {
    failures = false;
    terminal_finished();
    loiter_established();
    mode_change(M_LOITER);
    request(true);
#ifdef BUG_STUCK
    gate = G_WAVINGOFF;
#endif
    assert(gate == G_PENDING)
  }
}
