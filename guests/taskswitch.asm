; taskswitch: a flat binary started in real mode at 0x7c00 that enters
; 32-bit protected mode, loads a TSS and jumps to a second one: a hardware
; task switch. VT-x exits on every task switch and the hypervisor does not
; emulate them, so there it stops this guest alone as an unhandled exit;
; AMD-V lets the CPU switch (no intercept), and the new task says so.
bits 16
org 0x7c00

start:
	cli
	lgdt [gdt_ptr]
	mov eax, cr0
	or eax, 1
	mov cr0, eax
	jmp 0x08:pm32

bits 32
pm32:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov esp, 0x7000
	mov ax, 0x18
	ltr ax
	mov esi, msg_before
	call puts
	jmp 0x20:0                  ; to the task in tss_b
	mov esi, msg_returned
	call puts
	jmp halt

task_b:                         ; the second task's first instruction
	mov esi, msg_after
	call puts
	mov eax, 0x00010006         ; v1 shutdown: power off (EBX 0), code 0
	xor ebx, ebx
	xor ecx, ecx
	vmcall                      ; VMMCALL's twin: both work on both vendors
halt:
	hlt
	jmp halt

puts:                           ; ESI: a NUL-ended line to COM1
	lodsb
	test al, al
	jz .done
	mov dx, 0x3f8
	out dx, al
	jmp puts
.done:
	ret

msg_before: db "taskswitch: jumping to a TSS", 13, 10, 0
msg_after: db "taskswitch: running in the new task", 13, 10, 0
msg_returned: db "taskswitch: the jump returned", 13, 10, 0

align 8
gdt:
	dq 0
	dq 0x00cf9a000000ffff       ; 0x08 code, flat 32-bit
	dq 0x00cf92000000ffff       ; 0x10 data, flat
	; 0x18, 0x20: available 32-bit TSSes (type 9), limit 103
	dw 103, tss_a, 0x8900, 0
	dw 103, tss_b, 0x8900, 0
gdt_end:
gdt_ptr:
	dw gdt_end - gdt - 1
	dd gdt

align 4
tss_a: times 104 db 0
tss_b:
	dd 0                        ; back link
	dd 0x6000, 0x10             ; ESP0, SS0
	times 4 dd 0                ; ESP1, SS1, ESP2, SS2
	dd 0                        ; CR3 (paging is off: not loaded)
	dd task_b                   ; EIP
	dd 2                        ; EFLAGS
	times 4 dd 0                ; EAX, ECX, EDX, EBX
	dd 0x6800, 0, 0, 0          ; ESP, EBP, ESI, EDI
	dd 0x10, 0x08, 0x10, 0x10   ; ES, CS, SS, DS
	dd 0x10, 0x10               ; FS, GS
	dd 0                        ; LDT
	dw 0, 104                   ; T, I/O map base (none)
