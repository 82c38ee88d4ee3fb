//! Upstream faults injected into the emulator (written by the fault-injection work).
