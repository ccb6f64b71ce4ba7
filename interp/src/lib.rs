//! Enigma's baseline interpreter: the instruction loop over loaded code,
//! calls, returns and exceptions, and the profiling counters at loop and call
//! anchors that hand hot code to the JIT (DESIGN §5). Built in issue 3.
