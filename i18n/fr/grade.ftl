# Les messages de grade en français. Chaque clé a sa jumelle anglaise dans ../en/grade.ftl (un
# test unitaire vérifie que les deux fichiers ont les mêmes clés). Les nombres arrivent déjà
# formatés, avec un point décimal, comme le programme de l'étudiant les affiche.

## Le juge : pourquoi une vérification n'a pas réussi

judge-tolerance-close = tolérance { $atol } + { $rtol }·|attendu|
judge-tolerance-relative = tolérance relative { $rtol }
judge-text = du texte
judge-shape = la forme { $shape }
judge-shape-mismatch = `{ $name }` a { $got }, attendu { $want } (scénario { $scenario })
judge-why-text = c'est du texte, pas des nombres
judge-why-empty = il n'a aucun élément
judge-why-skipped = les { $count } éléments ont tous été écartés
judge-nothing-to-compare = rien à comparer dans `{ $name }` : { $why } (scénario { $scenario })
judge-worst = `{ $element }` : attendu { $expected }, obtenu { $got } ({ $tolerance } ; scénario { $scenario })
judge-elements-differ = { $count ->
        [one] { $count } élément sur { $total } diffère
       *[other] { $count } éléments sur { $total } diffèrent
    } ; le pire : { $worst }
judge-with-meaning = { $meaning } : { $detail }
judge-empty = vide
judge-zero = nul
judge-no-direction = rien pour juger la direction : `{ $key }` est { $how } (scénario { $scenario })
judge-does-not-move = `{ $key }` est nul : il ne bouge pas
judge-in-scenario = { $what } (scénario { $scenario })
judge-not-aligned = `{ $a }` ne va pas dans le sens de `{ $b }`
judge-dot-product = { $what } (scénario { $scenario } : le produit scalaire vaut { $dot })
judge-too-short-to-fall = { $what } : { $count ->
        [one] { $count } seule valeur
       *[other] { $count } valeurs
    }, il en faut au moins deux pour la voir baisser (scénario { $scenario })
judge-in-step = ({ $noun } { $k } sur { $steps })
judge-at-step = (pas { $k } sur { $steps })
judge-not-finite = { $what } vaut { $value } (valeur { $index } sur { $count } ; scénario { $scenario })
judge-stays = { $from } reste à { $to }
judge-rises = { $from } monte à { $to }
judge-does-not-fall = { $what } ne baisse pas { $step } : { $change } (scénario { $scenario })
judge-reference-unusable = la référence n'a rien observé sur le scénario { $scenario } : { $problem }
judge-no-reference = aucune observation de la référence pour le scénario { $scenario }
judge-reference-missing-key = la référence n'a pas rapporté `{ $key }` (scénario { $scenario })
judge-no-key = la sonde n'a pas rapporté `{ $key }` (scénario { $scenario })
judge-wrong-count = `{ $key }` a { $got } { $got ->
        [one] valeur
       *[other] valeurs
    }, attendu { $expected } (`{ $count }`)
judge-printed-too-much = trop de sortie pour vérifier les lignes `{ $prefix }…` (scénario { $scenario })
judge-no-line-expected = aucune ligne `{ $prefix }…` n'était attendue : rien n'a pu être vérifié (scénario { $scenario })
judge-first-extra = ; première ligne en trop : `{ $line }`
judge-one-per = , une par `{ $count }`
judge-wrong-line-count = { $count ->
        [one] { $count } ligne affichée commence
       *[other] { $count } lignes affichées commencent
    } par `{ $prefix }`, attendu { $wanted }{ $per }{ $extra } (scénario { $scenario })
judge-line-without-value = la ligne affichée { $n } est `{ $line }`, mais `{ $key }` n'a que { $count } { $count ->
        [one] valeur
       *[other] valeurs
    } pour la comparer (scénario { $scenario })
judge-wrong-line = la ligne affichée { $n } est `{ $line }`, attendu `{ $want }` (scénario { $scenario })

## Comment une exécution de la sonde s'est terminée sans observations

panic-at = {" "}à { $place }
panic-todo = pas encore écrit (todo!(){ $at }){ $detail }
panic-in-gave-up = , dans { $operation } (qui a abandonné à { $place })
panic-in = , dans { $operation }
panic-inside = {" "}(dans { $place })
panic-panicked = a paniqué{ $at }{ $inside } : { $message }{ $context }
failure-timed-out = délai dépassé après { $seconds } s
failure-cpu-limit = arrêté : limite de temps CPU de { $seconds } s
failure-memory-limit = arrêté : limite de mémoire de { $mib } Mio
failure-stack-overflow = débordement de pile
failure-file-too-large = arrêté : a écrit un fichier plus grand que la limite
failure-sigkill = tué (SIGKILL)
failure-sigabrt = interrompu (SIGABRT)
failure-sigsegv = planté (erreur de segmentation)
failure-signal = tué par le signal { $signal }
failure-exited-early = terminé avec le code { $code } avant d'avoir rapporté
failure-too-much = a rapporté plus de { $mib } Mio d'observations
failure-long-name = a rapporté une observation dont le nom dépasse { $cap } octets
failure-rejected = la sonde a refusé le scénario `{ $scenario }` : { $message }
failure-not-observations = a rapporté autre chose que des observations
not-built-limit = la soumission ne compile pas : { $limit }
not-built = la soumission ne compile pas (voir les messages du compilateur)
not-built-variant = { $variant } ne compile pas :
    { $diagnostics }
not-built-no-build = pas de compilation `{ $build }`

## Le rapport pour le terminal

report-graded = noté : { $submission }
report-seed = scénarios tirés de la graine { $seed }
report-does-not-compile = Votre code ne compile pas. Le compilateur dit :
report-score = note { $total }
report-start-here = Commencez ici :
report-start-compile = faites compiler votre code (la première erreur du compilateur, ci-dessus) : aucune vérification ne peut tourner avant.
report-start-unwritten = { $check }, dont le code est encore un todo!() : écrivez-le d'abord (backward passe avant fit, qui l'appelle).
report-start-mistake = { $check }, la première vérification qui échoue dans l'ordre de l'exercice ; l'erreur connue { $mistake } ci-dessous l'explique.
report-start-failing = { $check }, la première vérification qui échoue dans l'ordre de l'exercice (backward avant fit : fit appelle backward).
report-mistake = Erreur connue { $n } ({ $id }) :
report-mistake-checks = { $count ->
        [one] explique la vérification
       *[other] explique les vérifications
    } { $checks }
report-hint = conseil :
chart-legend-both = { $mine } la vôtre  { $theirs } la référence
chart-legend-mine = { $mine } la vôtre
chart-legend-reference = { $theirs } la référence (la vôtre n'a pas tourné)


## Erreurs

error-prefix = erreur : { $error }
error-grade-lang = erreur : GRADE_LANG vaut `{ $value }`, une langue que grade ne parle pas : mettez `en` ou `fr`, ou retirez-la

## grade validate

lang-en = anglais
lang-fr = français
validate-head = { $exercise } : la référence, le squelette et { $mistakes } erreurs connues sur { $checks } vérifications
validate-legend = ✓ réussit   ✗ perd les points (une erreur : reconnue comme elle-même)   ? non reconnue   ≠ reconnue comme une autre erreur
validate-passed = validation réussie
validate-failed = échec de la validation : { $count } problème(s)
validate-ok = ok
validate-problem-mark = PROBLÈME
validate-problem = problème :
validate-untranslated = { $file }:{ $line } : { $key } n'a pas de texte en { $language } : ajoutez `{ $code } = "…"`
validate-expected-current = { $path } est à jour
validate-expected-stale = { $path } n'est pas à jour : lancez `grade bless` pour le réécrire
validate-expected-seed = { $path } non comparé (scénarios tirés de --seed)
validate-reference-not-full = la référence n'a pas la note maximale : { $lost }
validate-stub-passes = le squelette réussit { $checks }
validate-mistake-not-caught = ne perd aucun point : aucune vérification n'attrape `{ $id }` ({ $title })
validate-diagnosed-as = sur { $check }, elle est reconnue comme `{ $other }`
validate-not-diagnosed = sur { $check }, elle n'est pas reconnue ({ $message })
chart-head = { $title } ({ $check }) : { $legend }
