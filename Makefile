# hv: a bare-metal x86-64 type-1 hypervisor.
#
#   make          build/hv.efi (UEFI) and build/hv.elf (Multiboot2), same core
#   make run      boot the default scenario in QEMU + OVMF (CONFIG=file for yours)
#   make test     every suite (unit, sched, svm, vmx, linux, abi-lock, ...); ends "N passed, N failed"
#   make test-linux Debian's Linux kernel as a guest, on both backends
#   make test-abi the ABI lock and the golden guests on both backends
#   make test-sched the scheduler: simulator tests and on-target scenarios
#   make test-hostile  attackers beside a victim; make fuzz, make fuzz-host
#   make test-smp several CPUs: the APs started on both backends
#   make coverage line and branch coverage of the host-run code
#   make image    build/hv.img, a bootable disk image for a USB stick
#   make debug    QEMU + gdb, stopped at hv.efi's first instruction
#   make bench    costs in emulated instructions, checked against bounds
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

WARN := -Wall -Wextra -Werror -Wmissing-prototypes -Wshadow
KCFLAGS := -std=gnu11 -O2 -g $(WARN) -ffreestanding -fno-stack-protector \
	-fno-stack-check -fpic -mno-red-zone -mgeneral-regs-only \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-fshort-wchar -include core/lib/hidden.h -I.
EFI_CFLAGS := -I/usr/include/efi -I/usr/include/efi/x86_64 -DGNU_EFI_USE_MS_ABI
NASMFLAGS := -f elf64 -g -F dwarf -Werror

ABI_GEN := $(B)/gen/compat_tables.c
CORE_C := $(wildcard core/*.c core/*/*.c mm/*.c hypercall/*.c compat/*.c) \
	$(wildcard sched/*.c sched/policies/*.c)
CORE_ASM := $(wildcard core/*.asm core/*/*.asm)
CORE_OBJS := $(CORE_C:%.c=$(B)/k/%.o) $(CORE_ASM:%.asm=$(B)/k/%.asm.o) $(B)/k/gen/compat_tables.o
EFI_OBJS := $(B)/k/boot/efi/efi_main.o
MB2_OBJS := $(B)/k/boot/multiboot2/mb2.o $(B)/k/boot/multiboot2/entry.asm.o

GNUEFI := /usr/lib
EFI_SECTIONS := -j .text -j .rodata -j .data -j .dynamic -j .dynsym \
	-j .rel -j .rela -j .reloc -j .bss

.PHONY: all run test test-unit test-svm test-vmx test-linux test-abi test-sched test-hostile test-smp bench fuzz fuzz-host coverage image debug deps clean abi abi-lock abi-golden
all: $(B)/hv.efi $(B)/hv.elf guests $(B)/sched-sim

$(B)/k/boot/efi/%.o: boot/efi/%.c
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) $(EFI_CFLAGS) -MMD -c $< -o $@

$(B)/k/%.o: %.c | $(ABI_GEN)
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) -I$(B)/gen -MMD -c $< -o $@

# ---- the hypercall ABI: compat/abi/vN.abi -> headers, docs, decode tables
$(ABI_GEN): $(wildcard compat/abi/*.abi) compat/abigen.py compat/abi/LOCK
	python3 compat/abigen.py gen $@

$(B)/k/gen/%.o: $(B)/gen/%.c
	@mkdir -p $(@D)
	$(CC) $(KCFLAGS) -I$(B)/gen -MMD -c $< -o $@

$(B)/k/%.asm.o: %.asm
	@mkdir -p $(@D)
	$(NASM) $(NASMFLAGS) -MD $(@:.o=.d) $< -o $@

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

# ---- test guests (guests/): 64-bit ELF at 1 MiB, or flat real-mode binaries
GUEST_CFLAGS := -std=gnu11 -O2 -g $(WARN) -ffreestanding -fno-pic -fno-pie \
	-mno-red-zone -mgeneral-regs-only -fno-stack-protector \
	-fno-asynchronous-unwind-tables -I.
GUEST_RT := $(B)/g/rt/rt.o $(B)/g/rt/rt_entry.asm.o $(B)/g/rt/rt_user.o $(B)/g/rt/rt_user.asm.o \
	$(B)/g/fmt.o
# The guests of several vCPUs link the APs' start-up too (guests/rt/rt_smp.h).
SMP_GUESTS := $(B)/guests/smpipi.elf $(B)/guests/ipistorm.elf
$(SMP_GUESTS): EXTRA_RT := $(B)/g/rt/rt_smp.o
$(SMP_GUESTS): $(B)/g/rt/rt_smp.o
GUEST_ELFS := $(patsubst guests/%.c,$(B)/guests/%.elf,$(wildcard guests/*.c guests/conformance/*.c))
GUEST_BINS := $(patsubst guests/%.asm,$(B)/guests/%.bin,$(wildcard guests/*.asm))

# Multiboot test kernels (guests/kernel/): 32-bit ELF, built for MB 1 and 2.
KERNEL_CFLAGS := -std=gnu11 -O2 $(WARN) -m32 -ffreestanding -fno-pic -fno-pie -mgeneral-regs-only \
	-fno-stack-protector -fno-asynchronous-unwind-tables
MB_KERNELS := $(B)/guests/mb1kernel.elf $(B)/guests/mb2kernel.elf

$(B)/g/kernel/mb%.o: guests/kernel/mbkernel.c
	@mkdir -p $(@D)
	$(CC) $(KERNEL_CFLAGS) -DMB=$* -c $< -o $@

$(B)/g/kernel/entry.o: guests/kernel/entry.asm
	@mkdir -p $(@D)
	$(NASM) -f elf32 $< -o $@

$(B)/guests/mb%kernel.elf: $(B)/g/kernel/mb%.o $(B)/g/kernel/entry.o guests/kernel/kernel.lds
	$(LD) -m elf_i386 -nostdlib -static --no-warn-rwx-segments -T guests/kernel/kernel.lds \
		$(B)/g/kernel/entry.o $< -o $@

.PHONY: guests
guests: $(GUEST_ELFS) $(GUEST_BINS) $(MB_KERNELS)

$(B)/g/fmt.o: core/lib/fmt.c
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -MMD -c $< -o $@

$(B)/g/%.o: guests/%.c | $(ABI_GEN)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -MMD -c $< -o $@

$(B)/g/%.asm.o: guests/%.asm
	@mkdir -p $(@D)
	$(NASM) $(NASMFLAGS) -MD $(@:.o=.d) $< -o $@

$(B)/guests/%.elf: $(B)/g/%.o $(GUEST_RT) guests/rt/guest.lds
	@mkdir -p $(@D)
	$(LD) -nostdlib -static -z max-page-size=0x1000 --no-warn-rwx-segments \
		-T guests/rt/guest.lds $< $(GUEST_RT) $(EXTRA_RT) -o $@

# The built-in images: linked again without symbols or page-aligned file
# offsets (the ELF loader needs neither): 6 KiB instead of 10.
$(B)/guests/%.stripped.elf: $(B)/g/%.o $(GUEST_RT) guests/rt/guest.lds
	@mkdir -p $(@D)
	$(LD) -nostdlib -static -n -z max-page-size=16 --strip-all --no-warn-rwx-segments \
		-T guests/rt/guest.lds $< $(GUEST_RT) -o $@

# The built-in default scenario's images (core/config/builtin.asm).
$(B)/k/core/config/builtin.asm.o: $(B)/guests/hello.stripped.elf $(B)/guests/burn.stripped.elf

$(B)/guests/%.bin: guests/%.asm
	@mkdir -p $(@D)
	$(NASM) -f bin $< -o $@

# ---- host unit tests (ASan + UBSan) ---------------------------------------
HOST_SRCS := core/insn/gwalk.c core/lib/fmt.c core/config/config.c core/lib/strlcpy.c core/hw/acpi.c core/hw/tsc_pick.c core/insn/insn.c core/insn/insn_mem.c \
	core/config/boot_info.c core/load/multiboot.c core/load/linux.c core/load/loader.c core/load/longmode.c core/dev/vacpi.c core/irq/vlapic.c core/irq/vioapic.c core/irq/virq.c core/irq/vpic.c core/irq/vpit.c core/lib/calendar.c mm/memmap.c mm/frame.c mm/pagetable.c mm/heap.c mm/gmem.c \
	sched/sched.c sched/policy.c $(wildcard sched/policies/*.c) core/lib/spinlock.c
UNIT_SRCS := $(wildcard tests/unit/*.c)
HOST_CFLAGS := -std=gnu11 -O1 -g $(WARN) -I. -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer

$(B)/unit-tests: $(HOST_SRCS) $(UNIT_SRCS) $(wildcard tests/*.h tests/unit/*.h core/*/*.h mm/*.h)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(HOST_SRCS) $(UNIT_SRCS) -o $@

# ---- the scheduler simulator: the very same sched/ files on the host -------
SCHED_SRCS := sched/sched.c sched/policy.c $(wildcard sched/policies/*.c)
SIM_SRCS := $(SCHED_SRCS) $(wildcard sched/sim/*.c) core/lib/fmt.c core/lib/strlcpy.c core/config/config.c
SIM_CFLAGS := -std=gnu11 -O2 -g $(WARN) -I.

$(B)/sched-sim: $(SIM_SRCS) $(wildcard sched/*.h sched/sim/*.h core/*/*.h)
	@mkdir -p $(@D)
	$(CC) $(SIM_CFLAGS) $(SIM_SRCS) -o $@

# ---- host fuzzing (libFuzzer, clang): tests/fuzz/ --------------------------
FUZZ_CC := clang
FUZZ_CFLAGS := -std=gnu11 -O1 -g -I. -I$(B)/gen -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -Wall -Wextra -Werror -Wno-unused-command-line-argument
FUZZ_SECONDS ?= 30
FUZZ_TARGETS := config insn loader compat apic
FUZZ_config := core/config/config.c core/lib/strlcpy.c core/lib/fmt.c
FUZZ_insn := core/insn/insn.c core/insn/insn_mem.c
FUZZ_apic := core/lib/spinlock.c core/irq/vlapic.c core/irq/vioapic.c core/irq/virq.c core/irq/vpic.c core/irq/vpit.c
FUZZ_loader := core/load/loader.c core/load/longmode.c core/load/multiboot.c core/load/linux.c core/dev/vacpi.c core/hw/acpi.c mm/gmem.c core/lib/fmt.c core/lib/strlcpy.c
FUZZ_compat := $(wildcard compat/*.c) $(ABI_GEN) hypercall/hypercall.c mm/gmem.c core/config/config.c \
	core/lib/fmt.c core/lib/strlcpy.c core/lib/spinlock.c $(SCHED_SRCS)

.SECONDEXPANSION:
$(B)/fuzz/%: tests/fuzz/fuzz_%.c $(ABI_GEN) $$(FUZZ_$$*) $(wildcard tests/*.h core/*/*.h compat/*.h sched/*.h mm/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< $(FUZZ_$*) -o $@

# Each target for FUZZ_SECONDS, its corpus kept in build/fuzz/corpus-NAME.
fuzz-host: $(FUZZ_TARGETS:%=$(B)/fuzz/%)
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# ---- running and testing ----------------------------------------------------
deps:
	@tests/deps.sh

run: deps all
	@CONFIG=$(CONFIG) tests/qemu.sh run

test: deps
	@tests/all.sh

test-unit: deps $(B)/unit-tests
	@$(B)/unit-tests

test-svm: deps all
	@tests/svm.sh

test-vmx: deps all
	@tests/vmx.sh

# Debian's stock kernel (fetched with apt-get download, checked against its
# package) with a busybox initramfs, alone and beside paravirtual guests, on
# both backends; then its boot time against bare QEMU. tests/linux.sh.
test-linux: deps all
	@tests/linux.sh test

# The simulator's tests, then the on-target scheduler scenarios (sched-*).
test-sched: deps all
	@tests/sched.sh all

# Hostile guests (tests/e2e/hostile-*) on both backends; make test runs
# them in the svm and vmx suites.
test-hostile: deps all
	@tests/svm.sh hostile-attacks hostile-fuzz hostile-statefuzz && tests/vmx.sh hostile-attacks hostile-fuzz hostile-statefuzz

# Several CPUs (tests/e2e/smp-*) on both backends; make test runs them in
# the svm and vmx suites.
test-smp: deps all
	@tests/svm.sh smp-online smp-four smp-cap smp-absent smp-nmi smp-burn smp-burn4 smp-burn-one smp-pin smp-pin-bad smp-balance smp-hcloop smp-abi-golden smp-wfs smp-ipi hostile-ipistorm && tests/vmx.sh smp-online smp-nmi smp-burn smp-hcloop smp-abi-golden smp-wfs smp-ipi hostile-ipistorm

# The hypercall and state fuzzer guests, longer and with a fresh seed
# (SEED= replays).
FUZZ_CALLS ?= 20000000
FUZZ_OPS ?= 10000000
fuzz: deps all
	@tests/fuzz/guest.sh $(FUZZ_CALLS) $(FUZZ_OPS) $(SEED)

# gdb on hv.efi in QEMU, stopped at its first instruction (GUEST=name also
# loads that guest's symbols). docs/debugging.md.
debug: deps all
	@CONFIG=$(CONFIG) tests/debug.sh $(GUEST)

# build/hv.img: GPT + FAT32 ESP with hv.efi, a configuration (CONFIG=, or
# guests/hv.cfg) and the guests, for a USB stick (docs/hardware.md).
image: deps all
	@tests/image.sh $(CONFIG)

# Line and branch coverage of the host-run code: build/coverage/index.html.
coverage: deps
	@tests/coverage.sh

# The ABI lock, its self-test, and the golden guests on both backends.
test-abi: deps all
	@tests/abi.sh

# Regenerates headers and reference pages after editing a draft definition.
abi: $(ABI_GEN)

# Releasing version V (docs/abi/compatibility.md): lock its definition and
# header, then freeze its conformance guest as the golden binary.
abi-lock: $(ABI_GEN)
	python3 compat/abigen.py lock $(V)

abi-golden: $(B)/guests/conformance/v$(V).elf
	python3 compat/abigen.py golden $(V) $<

bench: deps all
	@tests/bench.sh

clean:
	rm -rf $(B)

# Objects between a source and an ELF are kept, not deleted after the build.
.PRECIOUS: $(B)/g/%.o $(B)/g/%.asm.o $(B)/g/kernel/mb%.o

-include $(shell find $(B)/k $(B)/g -name '*.d' 2>/dev/null)

# `make -s print-VAR` prints a variable (tests/coverage.sh uses it).
print-%:
	@echo $($*)
