// A loopback TCP port for a server that a test or bench starts itself.
#pragma once

namespace patchcast::testing {

// A port on 127.0.0.1 that was free a moment ago (the caller may still lose a race for it, and
// should try again with another when its server cannot bind); 0 when none could be had.
int FreeLoopbackPort();

}  // namespace patchcast::testing
