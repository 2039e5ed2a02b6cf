# tests/e2e/smp-wfs's burners for build/sched-sim, over their 600 ms window.
cpus 2
policy wfs
slice 1ms
duration 600ms
vcpu a weight=1
vcpu b weight=2
vcpu c weight=4
