"""rnn_helpers: a vanilla RNN trained from scratch, and the tools to see why its training loss can go up.

The notebooks in ``notebooks/`` teach every piece; this package holds the one copy of each algorithm.
"""

from . import baselines
from .bugs import BUGS, loss_and_grads_with_bug
from .curvature import flatten, hessian, hessian_vector_product, sharpness, step_curvature, unflatten
from .diagnose import Diagnosis, diagnose
from .display import prediction_table, show_lines, show_source
from .encoding import ALPHABET, Dataset, letter_indices, make_dataset, one_hot
from .environment import check_environment
from .gradcheck import (
    GradCheckReport,
    ParamCheck,
    finite_difference_errors,
    gradient_check,
    numerical_gradient,
    relative_error,
    verdict,
)
from .plateau import PLATEAU_LOSS, PlateauAnalysis, first_letter_memory, plateau_analysis
from .rnn import (
    ForwardCache,
    backward,
    cross_entropy,
    forward,
    init_params,
    log_softmax,
    loss,
    loss_and_grads,
    loss_terms,
    predict_proba,
    softmax,
)
from .runs import (
    LEARNER_RUN,
    RecordedRun,
    RunConfig,
    SampledRise,
    StepStatistics,
    record_run,
    sampled_rise,
    step_statistics,
)
from .training import SweepHistory, TrainHistory, train_full_batch, train_lr_sweep

__all__ = [
    "ALPHABET",
    "BUGS",
    "SweepHistory",
    "Dataset",
    "ForwardCache",
    "GradCheckReport",
    "ParamCheck",
    "TrainHistory",
    "backward",
    "check_environment",
    "cross_entropy",
    "forward",
    "gradient_check",
    "init_params",
    "letter_indices",
    "log_softmax",
    "loss",
    "loss_and_grads",
    "loss_and_grads_with_bug",
    "loss_terms",
    "make_dataset",
    "numerical_gradient",
    "one_hot",
    "predict_proba",
    "relative_error",
    "show_source",
    "show_lines",
    "prediction_table",
    "finite_difference_errors",
    "verdict",
    "baselines",
    "softmax",
    "train_full_batch",
    "train_lr_sweep",
    # notebook 06
    "Diagnosis",
    "RecordedRun",
    "diagnose",
    "flatten",
    "hessian",
    "hessian_vector_product",
    "record_run",
    "sharpness",
    "step_curvature",
    "unflatten",
    # notebooks 05 and 06: the learner's run; notebook 05: the plateau
    "LEARNER_RUN",
    "RunConfig",
    "SampledRise",
    "StepStatistics",
    "sampled_rise",
    "step_statistics",
    "PLATEAU_LOSS",
    "PlateauAnalysis",
    "first_letter_memory",
    "plateau_analysis",
]
