# make bench: decisions per second of each policy on this machine.
# 64 vCPUs (CPU-bound and sleepers) on 4 CPUs, 100 us slices.
cpus 4
policy wfs
slice 100us
duration 20s
vcpu v0 weight=1
vcpu v1 weight=2 burst=57us sleep=213us
vcpu v2 weight=3
vcpu v3 weight=4 burst=71us sleep=239us
vcpu v4 weight=1
vcpu v5 weight=2 burst=85us sleep=265us
vcpu v6 weight=3
vcpu v7 weight=4 burst=99us sleep=291us
vcpu v8 weight=1
vcpu v9 weight=2 burst=113us sleep=317us
vcpu v10 weight=3
vcpu v11 weight=4 burst=127us sleep=343us
vcpu v12 weight=1
vcpu v13 weight=2 burst=141us sleep=369us
vcpu v14 weight=3
vcpu v15 weight=4 burst=155us sleep=395us
vcpu v16 weight=1
vcpu v17 weight=2 burst=169us sleep=421us
vcpu v18 weight=3
vcpu v19 weight=4 burst=183us sleep=447us
vcpu v20 weight=1
vcpu v21 weight=2 burst=197us sleep=473us
vcpu v22 weight=3
vcpu v23 weight=4 burst=211us sleep=499us
vcpu v24 weight=1
vcpu v25 weight=2 burst=225us sleep=525us
vcpu v26 weight=3
vcpu v27 weight=4 burst=239us sleep=551us
vcpu v28 weight=1
vcpu v29 weight=2 burst=253us sleep=577us
vcpu v30 weight=3
vcpu v31 weight=4 burst=267us sleep=603us
vcpu v32 weight=1
vcpu v33 weight=2 burst=281us sleep=629us
vcpu v34 weight=3
vcpu v35 weight=4 burst=295us sleep=655us
vcpu v36 weight=1
vcpu v37 weight=2 burst=309us sleep=681us
vcpu v38 weight=3
vcpu v39 weight=4 burst=323us sleep=707us
vcpu v40 weight=1
vcpu v41 weight=2 burst=337us sleep=733us
vcpu v42 weight=3
vcpu v43 weight=4 burst=351us sleep=759us
vcpu v44 weight=1
vcpu v45 weight=2 burst=365us sleep=785us
vcpu v46 weight=3
vcpu v47 weight=4 burst=379us sleep=811us
vcpu v48 weight=1
vcpu v49 weight=2 burst=393us sleep=837us
vcpu v50 weight=3
vcpu v51 weight=4 burst=407us sleep=863us
vcpu v52 weight=1
vcpu v53 weight=2 burst=421us sleep=889us
vcpu v54 weight=3
vcpu v55 weight=4 burst=435us sleep=915us
vcpu v56 weight=1
vcpu v57 weight=2 burst=449us sleep=941us
vcpu v58 weight=3
vcpu v59 weight=4 burst=463us sleep=967us
vcpu v60 weight=1
vcpu v61 weight=2 burst=477us sleep=993us
vcpu v62 weight=3
vcpu v63 weight=4 burst=491us sleep=1019us
