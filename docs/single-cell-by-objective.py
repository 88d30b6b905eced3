# Selection by the objective J against selection by validation FOSCTTM (docs/single-cell-study.md §5): within each
# (graph, k, lambda, read-out) group of an `align` report.json, which start has the lower J, which the lower
# validation FOSCTTM, and what choosing by J costs in test FOSCTTM.
#   python3 docs/single-cell-by-objective.py out/snareseq/report.json [more report.json ...]
import json
import sys

for f in sys.argv[1:]:
    c = json.load(open(f))['methods']['ewl']['candidates']
    groups = {}
    for x in c:
        groups.setdefault((x['graph'], x['k'], x['lambda'], x['readout']), []).append(x)
    agree = 0
    loss = []
    for g in groups.values():
        by_j = min(g, key=lambda x: x['J'])
        by_val = min(g, key=lambda x: x['validation_foscttm']['symmetric'])
        agree += by_j is by_val
        loss.append(by_j['test_foscttm']['symmetric'] - by_val['test_foscttm']['symmetric'])
    print('%s: J and validation pick the same start in %d of %d groups; choosing by J costs %.3f test FOSCTTM'
          % (f, agree, len(groups), sum(loss) / len(loss)))
