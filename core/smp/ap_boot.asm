; The application processors' way into the core (core/smp/smp.c).
;
; ap_tramp_start .. ap_tramp_end is copied to a page below 1 MiB, whose
; number is the start-up IPI's vector: the AP begins there in real mode,
; CS = page * 256, IP = 0. It loads the page's own GDT, enters protected
; mode, turns on PAE, the host's page tables (CR3 below 4 GiB), EFER.LME
; and NXE, then paging (long mode, compatibility), and jumps through the
; far pointer smp.c wrote to ap_entry64 in the image, 64-bit code. Every
; absolute address it needs is in the parameter block at ap_tramp_params
; (struct ap_params in smp.c, which fills it in: the offsets below are
; checked there). EBX carries the page's address from real mode on.

bits 16
default abs

global ap_tramp_start:data hidden
global ap_tramp_pm32:data hidden
global ap_tramp_gdt:data hidden
global ap_tramp_params:data hidden
global ap_tramp_end:data hidden
global ap_entry64:function hidden
extern ap_main

P_GDTR equ 0            ; u16 limit, u32 base
P_PM32 equ 6            ; u32 offset, u16 selector: ap_tramp_pm32
P_ENTRY64 equ 12        ; u32 offset, u16 selector: ap_entry64
P_CR0 equ 18
P_CR3 equ 22
P_CR4 equ 26
P_EFER equ 30
P_STACK equ 34          ; u64: the AP's stack top
P_CPU equ 42            ; u64: its struct cpu
P_SIZE equ 50

OFF equ ap_tramp_params - ap_tramp_start

section .rodata
ap_tramp_start:
	cli
	cld
	mov ax, cs
	mov ds, ax
	movzx ebx, ax
	shl ebx, 4
	o32 lgdt [OFF + P_GDTR]
	mov eax, cr0
	or al, 1                ; PE
	mov cr0, eax
	jmp dword far [OFF + P_PM32]

bits 32
ap_tramp_pm32:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov eax, [ebx + OFF + P_CR4]
	mov cr4, eax
	mov eax, [ebx + OFF + P_CR3]
	mov cr3, eax
	mov ecx, 0xc0000080     ; EFER
	mov eax, [ebx + OFF + P_EFER]
	xor edx, edx
	wrmsr
	mov eax, [ebx + OFF + P_CR0]
	mov cr0, eax            ; paging on: long mode, compatibility
	jmp far [ebx + OFF + P_ENTRY64]

align 8
ap_tramp_gdt:
	dq 0
	dq 0x00cf9a000000ffff   ; 0x08: 32-bit code, flat
	dq 0x00cf92000000ffff   ; 0x10: data, flat
	dq 0x00209a0000000000   ; 0x18: 64-bit code
ap_tramp_params:
	times P_SIZE db 0
ap_tramp_end:

bits 64
default rel
section .text
; Long mode, on the host's page tables; EBX: the start page.
ap_entry64:
	mov ebx, ebx
	mov rsp, [rbx + OFF + P_STACK]
	mov rdi, [rbx + OFF + P_CPU]
	xor ebp, ebp
	call ap_main            ; never returns
.hang:
	cli
	hlt
	jmp .hang

section .note.GNU-stack noalloc noexec nowrite progbits
