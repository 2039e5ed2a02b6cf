# tests/e2e/smp-balance's guests for build/sched-sim: the hello guests run
# about 8 ms (on target: from 5 to 13 ms each, their boot included) and
# stop (a sleep past the end), the burners spin for their 600 ms window.
cpus 4
policy rr
slice 1ms
duration 600ms
vcpu h1 burst=8ms sleep=10s cpus=3
vcpu h2 burst=8ms sleep=10s cpus=3
vcpu h3 burst=8ms sleep=10s cpus=3
vcpu b1
vcpu b2
vcpu b3
vcpu b4
vcpu b5
