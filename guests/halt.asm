; halt: a flat real-mode binary that stops at once and says nothing: HLT
; with interrupts off, which the hypervisor ends as "halted (HLT with
; nothing to wake it)". For scenarios that need a guest gone early at a
; repeatable time (tests/e2e/smp-balance).
bits 16
org 0x7c00

	cli
	hlt
