# hv: a bare-metal x86-64 type-1 hypervisor.
#
#   make          build/hv.efi (UEFI) and build/hv.elf (Multiboot2), same core
#   make run      boot the default scenario in QEMU + OVMF
#   make test     every test suite (unit, svm, vmx); ends "N passed, N failed"
#
# Both images link the very same core objects (build/k/core, build/k/mm);
# only the boot door (boot/efi or boot/multiboot2) and the linker script
# differ.

VERSION := 0.1.0
B := build
CC := gcc
LD := ld
NASM := nasm
OBJCOPY := objcopy

WARN := -Wall -Wextra -Werror
KCFLAGS := -std=gnu11 -O2 -g $(WARN) -ffreestanding -fno-stack-protector \
	-fno-stack-check -fpic -mno-red-zone -mgeneral-regs-only \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-fshort-wchar -include core/hidden.h -I.
EFI_CFLAGS := -I/usr/include/efi -I/usr/include/efi/x86_64 -DGNU_EFI_USE_MS_ABI
NASMFLAGS := -f elf64 -g -F dwarf -Werror

CORE_C := $(wildcard core/*.c mm/*.c)
CORE_ASM := $(wildcard core/*.asm)
CORE_OBJS := $(CORE_C:%.c=$(B)/k/%.o) $(CORE_ASM:%.asm=$(B)/k/%.asm.o)
EFI_OBJS := $(B)/k/boot/efi/efi_main.o
MB2_OBJS := $(B)/k/boot/multiboot2/mb2.o $(B)/k/boot/multiboot2/entry.asm.o

GNUEFI := /usr/lib
EFI_SECTIONS := -j .text -j .rodata -j .data -j .dynamic -j .dynsym \
	-j .rel -j .rela -j .reloc

.PHONY: all run test test-unit test-svm test-vmx deps clean
all: $(B)/hv.efi $(B)/hv.elf

$(B)/k/boot/efi/%.o: boot/efi/%.c
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) $(EFI_CFLAGS) -MMD -c $< -o $@

$(B)/k/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) -MMD -c $< -o $@

$(B)/k/%.asm.o: %.asm
	@mkdir -p $(@D)
	$(NASM) $(NASMFLAGS) $< -o $@

# hv-efi.so keeps the symbols (link base 0) for gdb and addr2line.
$(B)/hv-efi.so: $(EFI_OBJS) $(CORE_OBJS) boot/efi/hv-efi.lds
	$(LD) -nostdlib -znocombreloc -shared -Bsymbolic --build-id=sha1 \
		-T boot/efi/hv-efi.lds $(GNUEFI)/crt0-efi-x86_64.o \
		$(EFI_OBJS) $(CORE_OBJS) $(GNUEFI)/libgnuefi.a -o $@

$(B)/hv.efi: $(B)/hv-efi.so
	$(OBJCOPY) $(EFI_SECTIONS) --target efi-app-x86_64 --subsystem=10 $< $@
	@size=$$(stat -c %s $@); echo "hv.efi: $$size bytes"; \
	  [ $$size -le 262144 ] || { echo "hv.efi is over 256 KiB"; exit 1; }

$(B)/hv.elf: $(MB2_OBJS) $(CORE_OBJS) boot/multiboot2/hv-mb2.lds
	$(LD) -nostdlib -static -z max-page-size=0x1000 --build-id=sha1 \
		-T boot/multiboot2/hv-mb2.lds $(MB2_OBJS) $(CORE_OBJS) -o $@

# ---- host unit tests (ASan + UBSan) ---------------------------------------
HOST_SRCS := core/fmt.c core/config.c core/strlcpy.c core/acpi.c \
	core/boot_info.c mm/memmap.c mm/frame.c mm/pagetable.c mm/heap.c
UNIT_SRCS := $(wildcard tests/unit/*.c)
HOST_CFLAGS := -std=gnu11 -O1 -g $(WARN) -I. -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer

$(B)/unit-tests: $(HOST_SRCS) $(UNIT_SRCS) $(wildcard tests/unit/*.h core/*.h mm/*.h)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(HOST_SRCS) $(UNIT_SRCS) -o $@

# ---- running and testing ----------------------------------------------------
deps:
	@tests/deps.sh

run: deps all
	@tests/qemu.sh run

test: deps
	@tests/all.sh

test-unit: deps $(B)/unit-tests
	@$(B)/unit-tests

test-svm: deps all
	@tests/svm.sh

test-vmx: deps all
	@tests/vmx.sh

clean:
	rm -rf $(B)

-include $(shell find $(B)/k -name '*.d' 2>/dev/null)
