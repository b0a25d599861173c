"""Time the tiny CNN's training and compare its accuracy with a linear model.

Run with ``python benchmarks/bench_cnn.py`` (or ``make bench``). The data
are scikit-learn's digits with the chapter's fixed stratified split (a
quarter of each digit held out, seed 0). Measured in the same run:

- training ``TinyCNN(seed=0)`` (20 epochs, the chapter's model), once,
  against issue 17's budget of 30 s on this two-core machine (target
  ≤ 1×), and against fitting scikit-learn's ``LogisticRegression`` on the
  same pixels (for reference: the CNN does far more arithmetic);
- held-out error rates: the CNN's against the logistic regression's
  (target ≤ 1×: the convolutions must pay for themselves), with both
  accuracies printed;
- the forward pass of one digit, as the interactive page computes it
  (``TinyCNN.forward``), against ``predict_proba`` of the whole test split
  divided by its size (for reference).

The script exits 0 whatever the numbers: it reports, it does not judge.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import best_times, report

from convdemo.cnn import TinyCNN, load_digits, stratified_split

BUDGET_S = 30.0


def main() -> None:
    """Train both models once, time the forward pass, print one line per ratio.

    BLAS runs on one thread: on a shared two-core machine, threads waiting
    for a core slow small products down many times over.
    """
    images, labels = load_digits()
    train, test = stratified_split(labels, 0.25, seed=0)
    start = time.perf_counter()
    model = TinyCNN(seed=0).fit(images[train], labels[train])
    t_cnn = time.perf_counter() - start
    linear = LogisticRegression(max_iter=2000)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        linear.fit(images[train].reshape(len(train), -1) / 16, labels[train])
    t_linear = time.perf_counter() - start
    cnn_accuracy = float(np.mean(model.predict(images[test]) == labels[test]))
    linear_accuracy = float(
        linear.score(images[test].reshape(len(test), -1) / 16, labels[test])
    )
    print(f"{len(train)} training and {len(test)} test digits, 20 epochs")
    report(
        f"TinyCNN training ({t_cnn:.1f} s)",
        t_cnn / BUDGET_S,
        f"issue 17's budget ({BUDGET_S:.0f} s)",
        1.0,
    )
    print(
        f"{'TinyCNN training':<34} {t_cnn / t_linear:6.1f}x of "
        f"LogisticRegression.fit ({t_linear:.2f} s) (for reference)"
    )
    report(
        f"TinyCNN test error ({1 - cnn_accuracy:.1%})",
        (1 - cnn_accuracy) / (1 - linear_accuracy),
        f"LogisticRegression's ({1 - linear_accuracy:.1%})",
        1.0,
    )
    print(f"accuracy: TinyCNN {cnn_accuracy:.2%}, logistic {linear_accuracy:.2%}")
    digit = images[test[0]]
    t_one, t_all = best_times(
        lambda: model.forward(digit), lambda: model.predict_proba(images[test])
    )
    print(
        f"{'TinyCNN.forward, one digit':<34} {t_one * 1e3:6.2f} ms, "
        f"{t_one / (t_all / len(test)):.1f}x of one digit's share of a batch "
        f"({t_all / len(test) * 1e3:.3f} ms) (for reference)"
    )


if __name__ == "__main__":
    with threadpool_limits(1):
        main()
