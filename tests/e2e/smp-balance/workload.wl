# tests/e2e/smp-balance's guests for build/sched-sim: the halt guests stop
# at their first instruction (here: 10 us and a sleep past the end), the
# burners spin for their 600 ms window.
cpus 4
policy rr
slice 1ms
duration 600ms
vcpu h1 burst=10us sleep=10s cpus=3
vcpu h2 burst=10us sleep=10s cpus=3
vcpu h3 burst=10us sleep=10s cpus=3
vcpu b1
vcpu b2
vcpu b3
vcpu b4
vcpu b5
