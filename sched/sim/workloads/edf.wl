# Periodic jobs with reservations (70% of one CPU) and a background hog.
cpus 1
policy edf
slice 2ms
duration 1s
vcpu ctl budget=2ms period=10ms every=10ms burst=2ms
vcpu audio budget=1ms period=5ms every=5ms burst=1ms
vcpu video budget=8ms period=40ms every=40ms burst=8ms
vcpu hog
