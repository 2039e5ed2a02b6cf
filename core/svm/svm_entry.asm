; Entering and leaving an AMD-V guest.
;
; void svm_enter(struct gprs *g, u64 vmcb_pa, u64 host_pa)
;   With GIF clear, enables host interrupts (they stay blocked until GIF is
;   set again, and while the guest runs they cause INTR exits because
;   V_INTR_MASKING takes the host's IF), loads the guest's FS, GS, TR, LDTR
;   and syscall MSRs (VMLOAD), every guest GPR but RAX (the VMCB holds it),
;   and runs VMRUN. After the exit it stores the guest GPRs into *g, saves
;   the guest's VMLOAD state (VMSAVE), restores the host's from host_pa,
;   disables interrupts and sets GIF: a pending host interrupt stays pending
;   for the caller to take.
;
; struct gprs offsets (core/vm/vcpu.h): rax 0, rbx 8, rcx 16, rdx 24, rsi 32,
; rdi 40, rbp 48, r8 56 ... r15 112.

bits 64
default rel

%include "core/vm/gprs.inc"

global svm_enter:function hidden

section .text
svm_enter:
	HOST_SAVE
	push rdi                ; [rsp + 16] after the next two: the gprs pointer
	push rdx                ; [rsp + 8]: host VMCB
	push rsi                ; [rsp]: guest VMCB
	mov rax, rsi
	clgi
	sti
	vmload                  ; [rax]
	GPRS_LOAD_BUT_RAX_RDI
	mov rdi, [rdi + 40]
	vmrun                   ; [rax]; #VMEXIT restores RAX, RSP, RIP and RFLAGS
	push rdi
	mov rdi, [rsp + 24]
	GPRS_STORE_BUT_RAX_RDI
	pop rax
	mov [rdi + 40], rax
	pop rax
	vmsave                  ; [rax]
	pop rax
	vmload                  ; [rax]
	cli
	stgi
	add rsp, 8
	HOST_RESTORE
	ret

section .note.GNU-stack noalloc noexec nowrite progbits
