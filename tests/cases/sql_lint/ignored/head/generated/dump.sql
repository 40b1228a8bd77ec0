SELECT a,b  from t
