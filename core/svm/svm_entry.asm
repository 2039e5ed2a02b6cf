; Entering and leaving an AMD-V guest.
;
; void svm_enter(struct gprs *g, u64 vmcb_pa, u64 host_pa)
;   With GIF clear, enables host interrupts (they stay blocked until GIF is
;   set again, and while the guest runs they cause INTR exits because
;   V_INTR_MASKING takes the host's IF), loads the guest's FS, GS, TR, LDTR
;   and syscall MSRs (VMLOAD), every guest GPR but RAX (the VMCB holds it),
;   and runs VMRUN. After the exit it stores the guest GPRs into *g, saves
;   the guest's VMLOAD state (VMSAVE) and restores the host's from host_pa.
;   Then svm_exit_fast (svm_run.c) may serve the exit on the short way and
;   ask for the guest again at once: back to the VMLOAD, with the KEPT
;   registers (gprs.inc) still the guest's in the CPU. Otherwise it stores
;   those too, disables interrupts and sets GIF: a pending host interrupt
;   stays pending for the caller to take.
;
; struct gprs offsets (core/vm/vcpu.h): rax 0, rbx 8, rcx 16, rdx 24, rsi 32,
; rdi 40, rbp 48, r8 56 ... r15 112.

bits 64
default rel

%include "core/vm/gprs.inc"

global svm_enter:function hidden
extern svm_exit_fast

section .text
svm_enter:
	HOST_SAVE
	push rdi                ; [rsp + 16] after the next two: the gprs pointer
	push rdx                ; [rsp + 8]: host VMCB
	push rsi                ; [rsp]: guest VMCB; rsp is 16-byte aligned here
	clgi
	sti
	GPRS_LOAD_KEPT
.enter:
	mov rax, [rsp]
	vmload                  ; [rax]
	GPRS_LOAD_CALL
	mov rdi, [rdi + 40]
	vmrun                   ; [rax]; #VMEXIT restores RAX, RSP, RIP and RFLAGS
	push rdi
	mov rdi, [rsp + 24]
	GPRS_STORE_CALL
	pop rax
	mov [rdi + 40], rax
	mov rax, [rsp]
	vmsave                  ; [rax]
	mov rax, [rsp + 8]
	vmload                  ; [rax]
	call svm_exit_fast      ; rdi = the gprs; true: served, enter again
	mov rdi, [rsp + 16]
	test al, al
	jnz .enter
	GPRS_STORE_KEPT         ; the guest's still: C preserved them
	cli
	stgi
	add rsp, 24
	HOST_RESTORE
	ret

section .note.GNU-stack noalloc noexec nowrite progbits
