/* The follow-up question follows the chosen score; without script the general one shows. */
document.querySelectorAll('input[name="score"]').forEach(function (input) {
  input.addEventListener('change', function () {
    var label = document.getElementById('follow-up'), n = Number(input.value);
    var band = n >= 9 ? 'promoter' : (n >= 7 ? 'passive' : 'detractor');
    if (label.dataset[band]) { label.textContent = label.dataset[band]; }
  });
});
